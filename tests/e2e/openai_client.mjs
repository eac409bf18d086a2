// The official `openai` npm client against `crucible serve-policy`: every check a client
// makes in normal use. Usage: node openai_client.mjs BASE_URL MODEL (NODE_PATH has openai).
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const OpenAI = require('openai');

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused', maxRetries: 0 });
let failures = 0;
function check(name, ok, detail) {
  console.log((ok ? 'ok   ' : 'FAIL ') + name + (ok ? '' : ': ' + JSON.stringify(detail)));
  if (!ok) failures++;
}

const models = await client.models.list();
check('models.list', models.data.some((m) => m.id === model), models.data);
const one = await client.models.retrieve(model);
check('models.retrieve', one.id === model && typeof one.created === 'number', one);

const c = await client.completions.create({ model, prompt: '2+9=', max_tokens: 12, seed: 1,
  temperature: 0, logprobs: 2, presence_penalty: 0, frequency_penalty: 0, echo: false, best_of: 1 });
const choice = c.choices[0];
check('completion text', typeof choice.text === 'string' && !choice.text.includes('<eos>'), choice);
check('completion finish_reason', ['stop', 'length'].includes(choice.finish_reason), choice);
check('logprobs tokens are text', choice.logprobs.tokens.every((t) => typeof t === 'string' && !t.startsWith('token_id:')), choice.logprobs);
check('logprobs offsets', choice.logprobs.text_offset.length === choice.logprobs.tokens.length, choice.logprobs);
check('top_logprobs', Array.isArray(choice.logprobs.top_logprobs) && choice.logprobs.top_logprobs.every((t) => Object.keys(t).length >= 1), choice.logprobs);
check('usage', c.usage.total_tokens === c.usage.prompt_tokens + c.usage.completion_tokens, c.usage);

const stream = await client.completions.create({ model, prompt: '2+9=', max_tokens: 12, seed: 1, temperature: 0, stream: true });
let streamed = '';
let finish = null;
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.text ?? '';
  finish = chunk.choices[0]?.finish_reason ?? finish;
}
check('stream equals the completion', streamed === choice.text && finish === choice.finish_reason, { streamed, text: choice.text });

const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 8, seed: 2, logprobs: true, top_logprobs: 2 });
check('chat message', chat.object === 'chat.completion' && chat.choices[0].message.role === 'assistant' && typeof chat.choices[0].message.content === 'string', chat);
check('chat logprobs', Array.isArray(chat.choices[0].logprobs.content), chat.choices[0].logprobs);
const chatStream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 8, seed: 2, stream: true });
let content = '';
for await (const chunk of chatStream) content += chunk.choices[0]?.delta?.content ?? '';
check('chat stream equals the chat', content === chat.choices[0].message.content, { content, chat: chat.choices[0].message.content });

const stopped = await client.completions.create({ model, prompt: 'a', max_tokens: 20, seed: 3, stop: ['\n'] });
check('stop string left out', !stopped.choices[0].text.includes('\n'), stopped.choices[0]);

try {
  await client.completions.create({ model, prompt: 'x', temperature: 7 });
  check('bad temperature refused', false, 'accepted');
} catch (e) {
  check('error shape (status, param, type)', e.status === 400 && e.param === 'temperature' && e.type === 'invalid_request_error', { status: e.status, param: e.param, type: e.type });
}
try {
  await client.completions.create({ model: 'nope', prompt: 'x' });
  check('unknown model refused', false, 'accepted');
} catch (e) {
  check('unknown model is 404 model_not_found', e.status === 404 && e.code === 'model_not_found', { status: e.status, code: e.code });
}
console.log(failures === 0 ? 'all checks passed' : failures + ' checks failed');
process.exit(failures === 0 ? 0 : 1);
