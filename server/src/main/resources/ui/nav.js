// On a narrow screen the navigation folds into a Menu button (without script it stays a wrapped row of links).
(() => {
  'use strict';
  const header = document.querySelector('body > header');
  const toggle = header && header.querySelector('.menu-toggle');
  if (!toggle) return;
  header.classList.add('foldable');
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    const open = header.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
})();
