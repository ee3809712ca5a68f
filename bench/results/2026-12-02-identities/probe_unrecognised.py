"""Two diagnostic re-runs over the unrecognised pairs (sequential):
  (1) positivity probe: the same difference, with every real symbol that has no sign assumption
      additionally assumed '> 0' (integer symbols unchanged);
  (2) fixpoint probe: bounds' own canonical form of the difference fed back to it."""
import json
from run_bounds import run, prepare
from common import assumption_text

C = {r['id']: r for r in map(json.loads, open('/tmp/identities/corpus.jsonl'))}
R = [json.loads(l) for l in open('/tmp/identities/results.jsonl')]
out = open('/tmp/identities/probe_unrecognised.jsonl', 'w')
for r in R:
    if r['recognised']:
        continue
    c = C[r['id']]
    l, rr, tr, specs = prepare(c['sympy_lhs'], c['sympy_rhs'])
    assume = []
    added = []
    for s in sorted(specs, key=lambda s: (s.name, str(s.assumptions0))):
        sp = dict(specs[s])
        if not sp['integer'] and sp['lo'] is None and sp['hi'] is None:
            sp['lo'] = (0, True)
            added.append(tr.names[s])
        assume += assumption_text(tr.names[s], sp)
    res = dict(id=r['id'], added=added)
    if c['lhs'] and (added):
        p = run('(%s) - (%s)' % (c['lhs'], c['rhs']), assume)
        res['positive'] = dict(out=p['out'], rc=p['rc'], assume=assume, recognised=p['rc'] == 0 and p['out'] == '0')
    f = run('(%s)' % r['diff']['out'], c['assume'])
    res['fixpoint'] = dict(out=f['out'], rc=f['rc'], same=f['out'] == r['diff']['out'], zero=f['out'] == '0')
    out.write(json.dumps(res) + '\n')
out.close()
