import csv, re, json, sys
from urllib.parse import urljoin, urlsplit
from bs4 import BeautifulSoup
D='/work/wt-relabel/tests/corpus/real/'
KW=re.compile(r'help|support|faq|customer|service|hilfe|aide|ayuda|kundenservice|communit|forum|board|discuss|bbs|discord|reddit\.com/r/|zendesk|freshdesk|helpscout|custhelp|kb\.|knowledge|docs\.|soporte|assistance|kundendienst|servicio',re.I)
HOSTS=('help','support','docs','faq','hilfe','aide','community','forum','forums','bbs','boards','discuss','kb')
SEG=re.compile(r'help|support|faq|customer-?serv|customer-?care|kundenservice|hilfe|aide|ayuda|forum|board|communit',re.I)
def root(u):
    s=urlsplit(u); h=s.netloc.lower(); first=h.split('.')[0]
    if first in HOSTS or any(x in h for x in ('zendesk.com','freshdesk.com','helpscoutdocs.com','custhelp.com')) or s.path in ('','/'):
        return f'{s.scheme}://{h}/'
    segs=[x for x in s.path.split('/') if x]
    out=[]
    for i,x in enumerate(segs):
        out.append(x)
        if SEG.search(x):
            if i==len(segs)-1 and '.' in x: out.pop()
            return f'{s.scheme}://{h}/'+'/'.join(out)+('/' if out else '')
    return f'{s.scheme}://{h}/'+segs[0]+'/' if segs else f'{s.scheme}://{h}/'
def where(a):
    for p in a.parents:
        n=p.name or ''
        if n in ('header','footer','nav','aside'): return n
        cid=' '.join([str(p.get('id','')),' '.join(p.get('class',[]) if isinstance(p.get('class'),list) else [str(p.get('class',''))])]).lower()
        for k in ('footer','header','nav','menu','sidebar','masthead','article','content','post','comment'):
            if k in cid: return k+':'+cid[:30]
    return '-'
rows=[r for r in csv.DictReader(open(D+'manifest.csv')) if r['split']=='heldout']
for r in rows:
    f=r['file']; html=open(D+f,'rb').read()
    soup=BeautifulSoup(html,'lxml')
    base=r['url']
    b=soup.find('base',href=True)
    canon=soup.find('link',rel='canonical')
    print('=====',f,r['url'],r['kind'],r['language'], 'base='+(b['href'] if b else ''), 'canon='+(canon.get('href','') if canon else ''))
    seen=set()
    for a in soup.find_all('a',href=True):
        h=a['href'].strip(); t=' '.join(a.get_text(' ',strip=True).split())[:50]
        if not (KW.search(h) or KW.search(t)): continue
        if h.startswith(('javascript','#','mailto')): continue
        u=urljoin(b['href'] if b else base,h)
        key=(u,t)
        if key in seen: continue
        seen.add(key)
        print(f'  [{where(a)}] {t!r} -> {u}  ROOT {root(u)}')
