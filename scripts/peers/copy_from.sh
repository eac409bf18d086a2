# Sourced by the peer scripts: copy_from SRC PATH ROOT puts SRC's file or directory PATH at
# ROOT/PATH, from a checkout or a git directory's HEAD (nothing is downloaded). Returns 1 when
# SRC has no PATH.
copy_from() {
  local src=$1 path=$2 root=$3
  mkdir -p "$root/$(dirname "$path")"
  if [ -e "$src/$path" ]; then
    cp -r "$src/$path" "$root/$path"
  elif [ "$(git --git-dir="$src" cat-file -t "HEAD:$path" 2>/dev/null)" = tree ]; then
    git --git-dir="$src" archive HEAD "$path" | tar xf - -C "$root"
  else
    git --git-dir="$src" show "HEAD:$path" >"$root/$path" 2>/dev/null || { rm -f "$root/$path"; return 1; }
  fi
}
