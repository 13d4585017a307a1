// Sends the upload form with XMLHttpRequest, whose upload events drive the progress bar (fetch has none),
// then reloads the document list through htmx so its ingestion status starts updating.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('upload');
  if (!form) return;
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  var persona = form.elements.persona_id;
  var personaError = document.getElementById('d-persona-error');
  function say(text, kind) { status.textContent = text; status.className = kind; }
  // A problem about the persona (e.g. one that no longer exists) is shown beside the picker.
  function personaSays(text) {
    personaError.textContent = text || '';
    personaError.hidden = !text;
    if (text) persona.setAttribute('aria-invalid', 'true'); else persona.removeAttribute('aria-invalid');
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    personaSays(null);
    if (!file) { say('Choose a file to upload first.', 'error'); form.elements.file.focus(); return; }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-CSRF-Token', form.elements._csrf.value);
    xhr.setRequestHeader('Accept', 'application/json');
    bar.hidden = false;
    bar.value = 0;
    say('Uploading ' + file.name + '…', '');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    });
    xhr.addEventListener('load', function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON: see below */ }
      if (body && (xhr.status === 200 || xhr.status === 201)) {
        bar.value = 100;
        say(body.duplicate ? body.filename + ' was uploaded before; showing the existing copy.'
                           : body.filename + ' uploaded; ingestion has started.', 'good');
        form.reset();
        htmx.ajax('GET', form.dataset.list, { target: '#documents', swap: 'outerHTML' });
      } else if (body && body.detail) {
        var problems = body.errors && body.errors.length ? body.errors : [body.detail];
        var field = 'persona_id:';
        var aboutPersona = problems.filter(function (p) { return p.indexOf(field) === 0; });
        var rest = problems.filter(function (p) { return p.indexOf(field) !== 0; });
        if (aboutPersona.length) {
          personaSays(aboutPersona.map(function (p) { return p.slice(field.length).trim(); }).join(' '));
          persona.focus();
        }
        say('Upload failed: ' + (rest.length ? rest.join('; ') : 'see the persona field.'), 'error');
      } else {
        say('Upload failed (HTTP ' + xhr.status + '). If your session ended, sign in again.', 'error');
      }
    });
    xhr.addEventListener('error', function () { say('Upload failed: the connection to the server was lost.', 'error'); });
    xhr.send(new FormData(form));
  });
});
