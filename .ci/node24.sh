# Sourced by .ci/run and the npm scripts' shell helpers: puts Node 24 first on PATH, installing it from the npm
# registry into a cache folder when the machine's Node is older (n8n 2.37+ needs 24).
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
	NODE24_DIR="${WIX_GALLERY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-wix-gallery}/node24"
	if [ ! -x "$NODE24_DIR/node_modules/node/bin/node" ]; then
		echo "== installing Node 24 from the npm registry into $NODE24_DIR"
		mkdir -p "$NODE24_DIR"
		npm install --prefix "$NODE24_DIR" --no-audit --no-fund --loglevel=error node@24 >/dev/null
	fi
	export PATH="$NODE24_DIR/node_modules/node/bin:$PATH"
	if [ "$(node_major)" -lt 24 ]; then
		echo "error: Node 24 is not available (node -v: $(node -v))" >&2
		exit 1
	fi
fi
