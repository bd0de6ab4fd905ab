// The original page's behaviour (POST the raw textarea text, show POSITIVE/NEGATIVE), with its failures
// fixed: an error is shown as an error (the original showed any non-"0" answer, error pages included, as
// POSITIVE), the score is shown, and the request in flight is visible. The request stays a CORS "simple"
// request: text/plain body; Accept asks for JSON so the answer carries the score.

// The API URL: same origin by default, or ?api=https://.../prod for a deployed API Gateway stage.
const API = new URLSearchParams(location.search).get('api');
const API_URL = API || `${location.origin}/`;

const form = document.getElementById('review-form');
const textarea = document.getElementById('review');
const button = document.getElementById('submit');
const status = document.getElementById('status');
const result = document.getElementById('result');

function show(kind, text) {
  result.hidden = false;
  result.className = kind;
  result.textContent = text;
}

function errorMessage(xhr) {
  if (xhr.status === 0) return 'Could not reach the sentiment API. Check your connection and try again.';
  try {
    const body = JSON.parse(xhr.responseText);
    if (body?.error?.message) return `Error ${xhr.status}: ${body.error.message}`;
  } catch {}
  return `Error ${xhr.status}: ${xhr.responseText || xhr.statusText || 'the request failed'}`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const xhr = new XMLHttpRequest();
  xhr.open('POST', API_URL);
  xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.timeout = 30000;
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  status.textContent = 'Classifying your review…';
  result.hidden = true;
  const done = () => {
    button.disabled = false;
    form.removeAttribute('aria-busy');
    status.textContent = '';
  };
  xhr.onload = () => {
    done();
    if (xhr.status !== 200) return show('error', errorMessage(xhr));
    let answer;
    try {
      answer = JSON.parse(xhr.responseText);
      // A text request that accepts JSON is answered like a one-review batch: {"results": [{...}]}.
      if (answer && Array.isArray(answer.results)) answer = answer.results[0];
    } catch {
      answer = { sentiment: Number.parseFloat(xhr.responseText) };
    }
    if (!answer || !Number.isFinite(answer.sentiment))
      return show('error', 'Error: the API gave an answer that is not a sentiment.');
    const positive = answer.sentiment !== 0;
    const score = Number.isFinite(answer.score) ? ` (score ${answer.score.toFixed(2)})` : '';
    show(positive ? 'positive' : 'negative', `Your review was ${positive ? 'POSITIVE' : 'NEGATIVE'}!${score}`);
  };
  xhr.onerror = () => {
    done();
    show('error', errorMessage(xhr));
  };
  xhr.ontimeout = () => {
    done();
    show('error', 'Error: the sentiment API did not answer in time. Try again.');
  };
  xhr.send(textarea.value);
});

// Which model answers: the offline stack says at /_model (a deployed API, ?api=..., does not).
if (!API) {
  fetch('/_model')
    .then((response) => (response.ok ? response.json() : undefined))
    .then((model) => {
      if (!model) return;
      const element = document.getElementById('model');
      element.textContent = `Model: ${model.file} (${model.summary})`;
      element.hidden = false;
    })
    .catch(() => {});
}
