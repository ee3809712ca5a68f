#!/bin/sh
# Full pipeline; the bounds binary is only ever run sequentially (subprocess.run, one at a time).
set -e
cd /tmp/identities
./run_extract.sh
nice python3 build_corpus.py > build_corpus.log 2>&1
nice python3 run_bounds.py
nice python3 run_bounds.py --extra
nice python3 probe_unrecognised.py
python3 make_report.py
