// Entry point of the page. The full UI arrives with the PWA; for now it only shows
// that the server is reachable.
const status = document.createElement('p');
status.setAttribute('role', 'status');
document.getElementById('app')?.append(status);

fetch('/healthz')
  .then((response) => response.json() as Promise<{ ok: boolean }>)
  .then((health) => {
    status.textContent = health.ok ? 'Server is up.' : 'Server reports a problem.';
  })
  .catch(() => {
    status.textContent = 'Server is unreachable.';
  });
