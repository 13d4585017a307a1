// The playground: posts a message, reads the answer's server-sent events as they arrive and
// renders the growing text as Markdown (markdown.js: HTML in it escaped), then asks the server for the call's
// details (request log and run trace). Stop aborts the request, which closes the provider's stream.
(() => {
  'use strict';
  const form = document.getElementById('playground');
  if (!form) return;
  const target = document.getElementById('target');
  const message = document.getElementById('message');
  const transcript = document.getElementById('transcript');
  const error = document.getElementById('playground-error');
  const send = document.getElementById('send');
  const stop = document.getElementById('stop');
  const modelSettings = document.getElementById('model-settings');
  const system = document.getElementById('system');
  const temperature = document.getElementById('temperature');
  const csrf = form.querySelector('input[name=_csrf]').value;
  // Personas keep the conversation in their session; a bare model needs the earlier turns sent again.
  let session = '';
  let history = [];
  let running = null;
  // Follow the newest text unless the user scrolled up to read something earlier.
  let follow = true;

  const nearBottom = () => transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 32;
  transcript.addEventListener('scroll', () => { follow = nearBottom(); });
  // A wheel or touch movement upwards is the user's intent even before the scroll event arrives.
  transcript.addEventListener('wheel', (e) => { if (e.deltaY < 0) follow = false; }, { passive: true });
  transcript.addEventListener('touchmove', () => { follow = nearBottom(); }, { passive: true });
  const keepUp = () => { if (follow) transcript.scrollTop = transcript.scrollHeight; };

  const showSettings = () => { modelSettings.hidden = !target.value.startsWith('model:'); };
  const reset = () => {
    session = '';
    history = [];
    transcript.querySelectorAll('.turn').forEach((turn) => turn.remove());
    error.textContent = '';
    follow = true;
  };
  target.addEventListener('change', () => { reset(); showSettings(); });
  showSettings();
  document.getElementById('new-chat').addEventListener('click', () => { reset(); message.focus(); });
  message.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter breaks the line; an IME composing text keeps its Enter.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!running) form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => { if (running) running.abort(); });

  const markdown = window.OrchestraMarkdown.render;

  const turn = (role, text) => {
    const empty = document.getElementById('transcript-empty');
    if (empty) empty.remove();
    const div = document.createElement('div');
    div.className = 'turn ' + role;
    const who = document.createElement('p');
    who.className = 'who';
    who.textContent = role === 'user' ? 'You' : target.options[target.selectedIndex].text;
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    div.append(who, body);
    transcript.append(div);
    follow = true;
    keepUp();
    return div;
  };

  const problem = async (response) => {
    try {
      const p = await response.json();
      return (p.errors && p.errors.length ? p.errors.join('; ') : p.detail) || response.statusText;
    } catch (e) {
      return response.status + ' ' + response.statusText;
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (running) return;
    const text = message.value.trim();
    if (!text) {
      error.textContent = 'Type a message first.';
      message.focus();
      return;
    }
    error.textContent = '';
    send.disabled = true;
    stop.hidden = false;
    running = new AbortController();
    turn('user', text);
    const answer = turn('assistant', '');
    answer.setAttribute('aria-busy', 'true');
    const body = answer.querySelector('.text');
    const started = performance.now();
    let firstToken = null;
    let content = '';
    let failed = false;
    let stopped = false;
    let response = null;
    try {
      try {
        const params = new URLSearchParams({ _csrf: csrf, target: target.value, message: text, session_id: session,
          history: target.value.startsWith('model:') ? JSON.stringify(history) : '' });
        if (target.value.startsWith('model:')) {
          params.set('system', system.value);
          params.set('temperature', temperature.value);
        }
        response = await fetch('/ui/playground/chat',
          { method: 'POST', body: params, headers: { 'X-CSRF-Token': csrf }, signal: running.signal });
        if (response.redirected) {
          // The session ended (signed out, expired or the key was revoked): back to sign-in.
          window.location.assign('/ui/login');
          return;
        }
        if (!response.ok) {
          answer.remove();
          error.textContent = await problem(response);
          return;
        }
        message.value = '';
        const persona = response.headers.get('x-orchestra-persona');
        if (persona && target.value === 'persona:auto') {
          // Say who answered and why as soon as the stream opens, not only in the details at the end.
          answer.querySelector('.who').textContent = persona + ' (picked by the router)';
          const why = document.createElement('p');
          why.className = 'routing hint';
          why.textContent = 'Why: ' + (response.headers.get('x-orchestra-routing') || 'the router gave no reason');
          answer.querySelector('.who').after(why);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            buffer = buffer.slice(end + 2);
            if (!data || data === '[DONE]') continue;
            const chunk = JSON.parse(data);
            if (chunk.error) {
              failed = true;
              error.textContent = (content ? 'The stream broke: ' : '') + chunk.error.message;
              continue;
            }
            const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta && chunk.choices[0].delta.content;
            if (delta) {
              if (firstToken === null) firstToken = performance.now() - started;
              content += delta;
              body.innerHTML = markdown(content);
              keepUp();
            }
          }
        }
      } catch (e) {
        if (e.name === 'AbortError') {
          stopped = true;
        } else {
          error.textContent = 'The answer could not be read: ' + e.message;
        }
      }
      if (response && response.ok && !(failed && !content)) {
        const total = performance.now() - started;
        session = response.headers.get('x-orchestra-session') || session;
        history.push({ role: 'user', content: text }, { role: 'assistant', content });
        const timing = document.createElement('p');
        timing.className = 'timing hint';
        timing.textContent = (stopped ? 'Stopped after ' + Math.round(total) + ' ms. ' : '')
          + 'In this browser: first token after ' + Math.round(firstToken === null ? total : firstToken)
          + ' ms' + (stopped ? '.' : ', done after ' + Math.round(total) + ' ms.');
        const meta = document.createElement('div');
        meta.className = 'details';
        answer.append(timing, meta);
        keepUp();
        const query = new URLSearchParams({ log: response.headers.get('x-orchestra-log-id') || '', run: response.headers.get('x-orchestra-run') || '' });
        const details = await fetch('/ui/playground/details?' + query);
        meta.innerHTML = details.ok ? await details.text() : '';
        keepUp();
      } else if (failed && !content) {
        answer.remove();
        // Nothing was answered: the message stays to be sent again.
        message.value = text;
      }
    } catch (e) {
      error.textContent = 'The details could not be read: ' + e.message;
    } finally {
      if (stopped) answer.classList.add('stopped');
      answer.removeAttribute('aria-busy');
      answer.classList.add('done');
      running = null;
      send.disabled = false;
      stop.hidden = true;
      message.focus();
    }
  });
})();
