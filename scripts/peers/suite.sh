# Sourced by the peer suites (sandboxfusion_suite.sh, verl_suite.sh, piston_suite.sh): the
# steps they share. Run from the repository root.
#   peer_begin NAME USAGE "$@"  takes the peer's copy (src) and an optional --url URL (url)
#                               from the arguments, leaves the rest in peer_args, and makes a
#                               temporary tree, removed on exit with the server
#   peer_copy PATH...           puts each of the peer's paths into the tree, or stops naming it
#   peer_serve [serve flags]    starts `crucible serve` on a free local port unless --url was
#                               given; sets url and server (its pid) once /v1/health answers
source scripts/peers/copy_from.sh

peer_begin() {
  peer_name=$1
  local usage=$2
  shift 2
  src=${1:?usage: $peer_name $usage}
  shift
  url=
  if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
  peer_args=("$@")
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
}

peer_copy() {
  local path
  for path; do
    copy_from "$src" "$path" "$tree" ||
      { echo "$peer_name: no $path in $src (a checkout of the peer or its git directory)" >&2; exit 1; }
  done
}

peer_serve() {
  [ -z "$url" ] || return 0
  [ -x build/bin/crucible ] || bash scripts/setup.sh --demo
  local log=$tree/serve.log port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  build/bin/crucible serve --port "$port" "$@" >"$log" 2>&1 &
  server=$!
  url=http://127.0.0.1:$port
  for _ in $(seq 100); do curl -sf "$url/v1/health" >/dev/null && return 0; sleep 0.1; done
  echo "crucible serve did not answer on $url; its log:" >&2
  cat "$log" >&2
  return 1
}
