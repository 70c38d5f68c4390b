#!/bin/sh
# Renders the PWA PNG icons from the SVGs in public/icons with headless Chromium (run by hand when the
# SVGs change; the PNGs are committed).
set -eu
cd "$(dirname "$0")/../public/icons"
render() { # svg size out
  page=$(mktemp --suffix=.html)
  printf '<html><body style="margin:0;background:transparent"><img src="file://%s/%s" width="%s" height="%s" style="display:block"></body></html>' "$PWD" "$1" "$2" "$2" > "$page"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
    --window-size="$2,$2" --screenshot="$PWD/$3" "file://$page" 2>/dev/null
  rm -f "$page"
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render icon-maskable.svg 512 icon-maskable-512.png
