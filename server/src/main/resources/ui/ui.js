// Small behaviour for every page (the layout loads it): the phone Menu button, and table cells that
// carry their column's name so that phones can show a row as "label: value" lines (ui.css stacks
// tables marked .stacked below 40rem). Without script the links stay a wrapped row and tables scroll.
(() => {
  'use strict';

  const header = document.querySelector('body > header');
  const toggle = header && header.querySelector('.menu-toggle');
  if (toggle) {
    header.classList.add('foldable');
    toggle.hidden = false;
    toggle.addEventListener('click', () => {
      const open = header.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    });
  }

  /** The header texts of a table, one per column (a header spanning two columns counts twice). */
  const columnNames = (table) => {
    const rows = table.tHead ? table.tHead.rows : [];
    const last = rows.length ? rows[rows.length - 1] : null;
    const names = [];
    if (!last) return names;
    for (const cell of last.cells) {
      const name = (cell.textContent || '').replace(/\s+/g, ' ').trim();
      for (let i = 0; i < (cell.colSpan || 1); i++) names.push(name);
    }
    return names;
  };

  const label = (table) => {
    const names = columnNames(table);
    if (!names.length) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const span = cell.colSpan || 1;
          // A cell spanning several columns (a row-wide note) belongs to none of them.
          cell.dataset.label = span === 1 ? names[column] || '' : '';
          column += span;
          // The content moves into one inline box (no change on a wide screen) that the phone layout puts beside the label.
          if (cell.dataset.label && !(cell.childNodes.length === 1 && cell.firstChild.classList?.contains('cell'))) {
            const box = document.createElement('span');
            box.className = 'cell';
            box.append(...cell.childNodes);
            cell.append(box);
          }
        }
      }
    }
    table.classList.add('stacked');
  };

  const labelAll = (root) => {
    if (root.matches && root.matches('table')) label(root);
    if (root.querySelectorAll) root.querySelectorAll('table').forEach(label);
  };

  // Copy buttons (the secret of a new key): the clipboard API where the page may use it (HTTPS or
  // localhost), else the text is selected for Ctrl+C. The status line says which happened.
  document.addEventListener('click', async (event) => {
    const button = event.target.closest && event.target.closest('button[data-copy]');
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest('div, form')?.parentElement?.querySelector('.copy-status');
    if (!field) return;
    const say = (text) => { if (status) status.textContent = text; };
    try {
      await navigator.clipboard.writeText(field.value);
      say('Copied to the clipboard.');
    } catch (e) {
      field.focus();
      field.select();
      say('Selected: press Ctrl+C (or Cmd+C) to copy.');
    }
  });

  labelAll(document);
  // htmx swaps in fresh fragments (the overview panel, the documents list, a run's timeline).
  document.addEventListener('htmx:load', (event) => labelAll(event.target));
})();
