// Saving text the core produced as a file, without it leaving the page: a Blob URL on this
// origin, revoked once the download has started.
export function download(name, text, type = 'text/csv') {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
