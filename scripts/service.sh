#!/bin/sh
# The service's Node flags, in one place: `npm start`, the image's CMD and the tests' and bench's service
# processes run main.js through this script (`sh scripts/service.sh dist/src/main.js`; exec keeps the pid
# and the signals). --min-semi-space-size=16: V8 shrinks an idle process's young generation to 1 MB per
# semi-space and the first ~1,000 requests after it then collect 6x as often; a fixed 16 MB (V8's usual
# maximum, so no more garbage is held than under load) stops that (docs/operations.md, "Knobs of the write path").
# NODE_OPTIONS refuses this flag, hence the command line.
exec node --min-semi-space-size=16 "$@"
