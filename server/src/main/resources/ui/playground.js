// The playground: posts a message, reads the answer's server-sent events as they arrive and
// appends each token, then asks the server for the call's details (request log and run trace).
(() => {
  'use strict';
  const form = document.getElementById('playground');
  if (!form) return;
  const target = document.getElementById('target');
  const message = document.getElementById('message');
  const transcript = document.getElementById('transcript');
  const error = document.getElementById('playground-error');
  const send = document.getElementById('send');
  const csrf = form.querySelector('input[name=_csrf]').value;
  // Personas keep the conversation in their session; a bare model needs the earlier turns sent again.
  let session = '';
  let history = [];

  const reset = () => {
    session = '';
    history = [];
    transcript.querySelectorAll('.turn').forEach((turn) => turn.remove());
    error.textContent = '';
  };
  target.addEventListener('change', reset);
  document.getElementById('new-chat').addEventListener('click', () => { reset(); message.focus(); });
  message.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  const turn = (role, text) => {
    const empty = document.getElementById('transcript-empty');
    if (empty) empty.remove();
    const div = document.createElement('div');
    div.className = 'turn ' + role;
    const who = document.createElement('p');
    who.className = 'who';
    who.textContent = role === 'user' ? 'You' : target.options[target.selectedIndex].text;
    const body = document.createElement('p');
    body.className = 'text';
    body.textContent = text;
    div.append(who, body);
    transcript.append(div);
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
    const text = message.value.trim();
    if (!text) {
      error.textContent = 'Type a message first.';
      message.focus();
      return;
    }
    error.textContent = '';
    send.disabled = true;
    turn('user', text);
    const answer = turn('assistant', '');
    answer.setAttribute('aria-busy', 'true');
    const body = answer.querySelector('.text');
    const started = performance.now();
    let firstToken = null;
    let content = '';
    let failed = false;
    try {
      const params = new URLSearchParams({ _csrf: csrf, target: target.value, message: text, session_id: session,
        history: target.value.startsWith('model:') ? JSON.stringify(history) : '' });
      const response = await fetch('/ui/playground/chat', { method: 'POST', body: params, headers: { 'X-CSRF-Token': csrf } });
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
            body.textContent = content;
          }
        }
      }
      if (failed && !content) {
        answer.remove();
        return;
      }
      const total = performance.now() - started;
      session = response.headers.get('x-orchestra-session') || session;
      history.push({ role: 'user', content: text }, { role: 'assistant', content });
      const timing = document.createElement('p');
      timing.className = 'timing hint';
      timing.textContent = 'In this browser: first token after ' + Math.round(firstToken === null ? total : firstToken)
        + ' ms, done after ' + Math.round(total) + ' ms.';
      const meta = document.createElement('div');
      meta.className = 'details';
      answer.append(timing, meta);
      const query = new URLSearchParams({ log: response.headers.get('x-orchestra-log-id') || '', run: response.headers.get('x-orchestra-run') || '' });
      const details = await fetch('/ui/playground/details?' + query);
      meta.innerHTML = details.ok ? await details.text() : '';
    } catch (e) {
      error.textContent = 'The answer could not be read: ' + e.message;
    } finally {
      answer.removeAttribute('aria-busy');
      answer.classList.add('done');
      send.disabled = false;
      message.focus();
    }
  });
})();
