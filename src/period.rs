//! Measurement periods: a contact belongs to the period in which it arrived (DOMAIN §2).

use std::fmt;

use chrono::{DateTime, Datelike, Utc};

/// A calendar month, cut in UTC (the agreement's default time zone, DOMAIN §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month in which `instant` falls.
    pub fn containing(instant: DateTime<Utc>) -> Month {
        Month {
            year: instant.year(),
            month: instant.month(),
        }
    }
}

impl fmt::Display for Month {
    /// ISO 8601 year-month, e.g. `2026-03`: sorts as text and reads the same in every locale.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_last_second_of_a_month_belongs_to_it_and_midnight_to_the_next() {
        let last = Utc.with_ymd_and_hms(2026, 1, 31, 23, 59, 59).unwrap();
        let next = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        assert_eq!(Month::containing(last).to_string(), "2026-01");
        assert_eq!(Month::containing(next).to_string(), "2026-02");
    }
}
