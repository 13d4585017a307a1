// A fast OpenAI-compatible upstream for the gateway benchmark: a fixed completion, or a fixed
// SSE stream of 8 chunks, with no artificial delay. Usage: node fake-upstream.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2] || 18100);
const completion = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream.' }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});
const chunk = (delta, finish) => 'data: ' + JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
}) + '\n\n';
const stream = [chunk({ role: 'assistant', content: '' }, null)]
  .concat(['Hello', ' from', ' the', ' benchmark', ' upstream', '.'].map((t) => chunk({ content: t }, null)))
  .concat([chunk({}, 'stop'),
    'data: ' + JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 } }) + '\n\n', 'data: [DONE]\n\n']).join('');

http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(stream);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion);
    }
  });
}).listen(port, '127.0.0.1', () => console.log(`fake upstream on 127.0.0.1:${port}`));
