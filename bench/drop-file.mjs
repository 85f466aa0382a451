// Puts a file on disk into a benchmark page as a `File` (what a user's drop gives), through a
// file input the benchmark adds; the page's own inputs are left alone.
export const FILE_INPUT = '#bench-file';

export async function dropFile(page, path) {
  await page.evaluate((id) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    document.body.append(input);
  }, FILE_INPUT.slice(1));
  await page.setInputFiles(FILE_INPUT, path);
}
