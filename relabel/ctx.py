import sys
from bs4 import BeautifulSoup
f,sub=sys.argv[1],sys.argv[2]
s=BeautifulSoup(open('tests/corpus/real/'+f,'rb').read(),'lxml')
for a in s.find_all('a',href=True):
    if sub in a['href']:
        chain=[]
        for p in a.parents:
            if p.name in ('html','[document]'): break
            chain.append(p.name+('#'+p.get('id') if p.get('id') else '')+('.'+'.'.join(p.get('class',[]))[:25] if p.get('class') else ''))
        sib=a.find_parent(['ul','div','nav','footer'])
        print(repr(a.get_text(' ',strip=True)[:60]),a['href'][:100]); print('  chain:',' < '.join(chain[:7])); print('  siblings:',' | '.join(x.get_text(' ',strip=True)[:25] for x in (sib.find_all('a')[:12] if sib else [])))
