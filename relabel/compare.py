import json
D='tests/corpus/real/'
S=[json.loads(l) for l in open('relabel/second.jsonl')]
agree={'help_center_links':0,'community_links':0}; diffs=[]
for s in S:
    j=json.load(open(D+s['file'].replace('.html','.json')))
    for k in agree:
        a=sorted(x['url'] for x in j.get(k,[])); b=sorted(x['url'] for x in s[k])
        if a==b: agree[k]+=1
        else: diffs.append((s['file'],k,a,b,j.get('url')))
print(agree)
for d in diffs: print(d[0],d[1],'\n   FIRST ',d[2],'\n   SECOND',d[3])
