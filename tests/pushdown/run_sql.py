"""Runs slacalc's push-down SQL on a real engine over a contact CSV, as a warehouse would, and
writes the result as CSV for slacalc to read back (tests/intervals.rs, the push_down tests).

Usage: run_sql.py duckdb|spark SQL_FILE CONTACTS_CSV OUT_CSV
The contacts are the table `contacts`, typed by each engine's own CSV inference.
"""
import csv
import sys

engine, sql_path, contacts_path, out_path = sys.argv[1:]
with open(sql_path, encoding="utf-8") as file:
    sql = file.read()

if engine == "duckdb":
    import duckdb

    connection = duckdb.connect()
    connection.read_csv(contacts_path, header=True).create_view("contacts")
    result = connection.execute(sql)
    columns = [description[0] for description in result.description]
    rows = result.fetchall()
elif engine == "spark":
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.csv(contacts_path, header=True, inferSchema=True).createOrReplaceTempView("contacts")
    frame = spark.sql(sql)
    columns = frame.columns
    rows = [tuple(row) for row in frame.collect()]
    spark.stop()
else:
    sys.exit(f"unknown engine {engine}")

with open(out_path, "w", newline="", encoding="utf-8") as file:
    writer = csv.writer(file)
    writer.writerow(columns)
    writer.writerows(rows)
print(f"{engine}: {len(rows)} interval rows")
