#!/usr/bin/env bash
# `npm start`: install, build and run the whole platform on embedded defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"

bash tools/setup.sh
npm run -s build
exec node dist/tools/platform/start.js
