// The load test's control: a worker that answers every request with a constant and touches
// nothing, so what `wrangler dev` itself costs (memory per request) can be told apart.
export default {
  fetch() {
    return new Response('{"status":"ok"}\n', { headers: { 'Content-Type': 'application/json' } });
  },
};
