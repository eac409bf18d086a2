# Sourced by the peer suites: start_serve LOG [serve flags...] starts `crucible serve` on a free
# local port, sets url and server (its pid) and waits until /v1/health answers. The caller's
# EXIT trap kills "$server".
start_serve() {
  local log=$1
  shift
  [ -x build/bin/crucible ] || bash scripts/setup.sh --demo
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  build/bin/crucible serve --port "$port" "$@" >"$log" 2>&1 &
  server=$!
  url=http://127.0.0.1:$port
  for _ in $(seq 100); do curl -sf "$url/v1/health" >/dev/null && return 0; sleep 0.1; done
  echo "crucible serve did not answer on $url; its log:" >&2
  cat "$log" >&2
  return 1
}
