// "Too big to paste?": the warehouse SQL the core writes for the full table behind the extract
// on the page, under the terms in the editor. The page only collects the choices and shows the
// text; the SQL is the core's (src/pushdown.rs).
const byId = (id) => document.getElementById(id);

/** Wires the panel; returns a refresh to call whenever the data or the terms change. */
export function setupPushDown(client, termsText) {
  const panel = byId('pushdown');
  const refresh = async () => {
    if (!panel.open) return;
    const request = {
      dialect: byId('sql-dialect').value,
      table: byId('sql-table').value.trim() || 'contacts',
      arrivedIsUtc: byId('sql-utc').checked,
    };
    const error = byId('sql-error');
    try {
      byId('sql-text').value = await client.pushDownSql(request, termsText());
      error.hidden = true;
    } catch (failure) {
      byId('sql-text').value = '';
      error.hidden = false;
      error.textContent = failure.message;
    }
  };
  panel.addEventListener('toggle', refresh);
  for (const id of ['sql-dialect', 'sql-table', 'sql-utc']) byId(id).addEventListener('change', refresh);
  byId('sql-copy').addEventListener('click', async () => {
    const text = byId('sql-text');
    const button = byId('sql-copy');
    try {
      await navigator.clipboard.writeText(text.value);
      button.textContent = 'Copied';
    } catch {
      // Without clipboard access (an insecure origin), select it for the user's own copy.
      text.select();
      button.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { button.textContent = 'Copy the SQL'; }, 2000);
  });
  return refresh;
}
