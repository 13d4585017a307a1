// The one Markdown renderer of the UI (Playground answers, document excerpts and chunks). Every
// character of the source is HTML-escaped before any tag is added, so HTML in a model's answer or
// in an uploaded document is shown, never run. Elements marked data-markdown hold their source as
// text (escaped by the server's template) and are rendered on load and whenever htmx adds content.
(() => {
  'use strict';
  const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  // Inline Markdown over text that is already escaped: code, bold, italics, http(s) links only.
  const inline = (escaped) => escaped
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" rel="noopener noreferrer" target="_blank">$1</a>');
  // Block Markdown: fenced code, headings, lists, paragraphs.
  const render = (source) => {
    const out = [];
    const blocks = source.split(/```/);
    blocks.forEach((block, i) => {
      if (i % 2 === 1) {
        out.push('<pre><code>' + escape(block.replace(/^[^\n]*\n/, '')) + '</code></pre>');
        return;
      }
      let list = null;
      const closeList = () => { if (list) { out.push('</' + list + '>'); list = null; } };
      let paragraph = [];
      const closeParagraph = () => {
        if (paragraph.length) out.push('<p>' + paragraph.map((l) => inline(escape(l))).join('<br>') + '</p>');
        paragraph = [];
      };
      for (const line of block.split('\n')) {
        const heading = line.match(/^(#{1,4})\s+(.*)$/);
        const bullet = line.match(/^\s*[-*]\s+(.*)$/);
        const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
        if (heading) {
          closeParagraph(); closeList();
          const level = heading[1].length + 2;
          out.push('<h' + level + '>' + inline(escape(heading[2])) + '</h' + level + '>');
        } else if (bullet || numbered) {
          closeParagraph();
          const kind = bullet ? 'ul' : 'ol';
          if (list !== kind) { closeList(); out.push('<' + kind + '>'); list = kind; }
          out.push('<li>' + inline(escape((bullet || numbered)[1])) + '</li>');
        } else if (line.trim() === '') {
          closeParagraph(); closeList();
        } else {
          closeList();
          paragraph.push(line);
        }
      }
      closeParagraph(); closeList();
    });
    return out.join('');
  };

  const renderMarked = (root) => {
    const marked = Array.from(root.querySelectorAll('[data-markdown]:not([data-rendered])'));
    if (root.matches && root.matches('[data-markdown]:not([data-rendered])')) marked.push(root);
    marked.forEach((el) => {
      el.innerHTML = render(el.textContent);
      el.setAttribute('data-rendered', '');
    });
  };

  window.OrchestraMarkdown = { render };
  document.addEventListener('DOMContentLoaded', () => renderMarked(document));
  // htmx:load fires for every piece of content htmx adds to the page.
  document.addEventListener('htmx:load', (e) => renderMarked(e.detail.elt));
})();
