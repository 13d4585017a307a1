// Sends the upload form with XMLHttpRequest, whose upload events drive the progress bar (fetch has none),
// then reloads the document list through htmx so its ingestion status starts updating.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('upload');
  if (!form) return;
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  function say(text, kind) { status.textContent = text; status.className = kind; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
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
        say('Upload failed: ' + body.detail, 'error');
      } else {
        say('Upload failed (HTTP ' + xhr.status + '). If your session ended, sign in again.', 'error');
      }
    });
    xhr.addEventListener('error', function () { say('Upload failed: the connection to the server was lost.', 'error'); });
    xhr.send(new FormData(form));
  });
});
