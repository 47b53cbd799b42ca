import re,sys
from collections import OrderedDict
STR=re.compile(r'(^|[/.\-_])(help|support|faq|faqs|hilfe|aide|ayuda|kb|docs|knowledge|customer-?serv\w*|customer-?care|customerservice|kundenservice|kundendienst|soporte|community|communities|forums?|boards?|discuss|bbs|talkboard)([/.\-_?#,]|$)|zendesk|freshdesk|helpscout|custhelp|discord|reddit\.com/r/|buysub|slack',re.I)
TXT=re.compile(r'help|support|faq|customer (service|care)|community|forum|hilfe|aide|ayuda|kundenservice|kundendienst|soporte|contact & help|客服|帮助|ヘルプ|고객센터|서비스',re.I)
cur=None;groups=OrderedDict()
def flush():
    if cur:
        print(cur)
        for r,(n,ws,ex) in groups.items():
            print(f'   {r}  x{n} {sorted(ws)[:4]} e.g. {ex}')
for line in open('/tmp/cands.txt'):
    if line.startswith('====='):
        flush(); cur=line.strip()[:160]; groups=OrderedDict(); continue
    m=re.match(r"\s+\[(.*?)\] (.*) -> (\S+)\s+ROOT (\S+)",line)
    if not m: continue
    w,t,u,r=m.groups()
    if not (STR.search(u.split('?')[0]) or TXT.search(t)): continue
    if w.startswith(('post','article','content:')) and 'forum' not in u and 'help' not in u: pass
    g=groups.setdefault(r,[0,set(),f'{t[:30]} {u[:90]}'])
    g[0]+=1; g[1].add(w.split(':')[0])
flush()
