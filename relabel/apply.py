import json
D='tests/corpus/real/'
H=lambda u,p='custom':{"url":u,"platform":p}
# (file, field, op, item_or_url[, new])
CH=[
 ('pl-www.abendblatt.de.html','help_center_links','add',H('https://aboservice.abendblatt.de/')),
 ('pl-www.eonline.com.html','help_center_links','add',H('https://www.eonline.com/support/')),
 ('pl-www.eonline.com.html','help_center_links','add',H('https://www.eonline.com/peoples_choice_awards/faq/')),
 ('pl-www.wired.com--other.html','help_center_links','add',H('https://subscriptions.wired.com/pubs/')),
 ('ap-icelandair.no.html','help_center_links','add',H('http://www.icelandair.no/information/customer-support/')),
 ('ap-serverworlds.com-blog.html','help_center_links','add',H('http://www.serverworlds.com/warranty-support/')),
 ('np-bhg.com1.html','help_center_links','add',H('https://w1.buysub.com/servlet/')),
 ('np-cntraveler.com1.html','help_center_links','add',H('https://w1.buysub.com/servlet/')),
 ('pl-www.newyorker.com--magazine.html','help_center_links','add',H('http://w1.buysub.com/servlet/')),
 ('pl-www.si.com.html','help_center_links','add',H('https://w1.buysub.com/servlet/')),
 ('pl-arstechnica.com.html','community_links','add',{"url":"https://arstechnica.com/civis/","platform":"phpbb"}),
 ('pl-www.si.com.html','community_links','remove','https://forums.mixedmartialarts.com/'),
 ('hb-2ality.com.html','community_links','root','https://groups.google.com/d/forum/','https://groups.google.com/d/forum/js-lang'),
]
for c in CH:
    f=D+c[0].replace('.html','.json'); t=open(f,encoding='utf-8').read(); j=json.loads(t)
    ea = json.dumps(j,indent=2,ensure_ascii=False)+'\n'!=t
    L=j[c[1]]
    if c[2]=='add':
        assert c[3]['url'] not in [x['url'] for x in L]; L.append(c[3])
    elif c[2]=='remove':
        n=len(L); L[:]=[x for x in L if x['url']!=c[3]]; assert len(L)==n-1
    else:
        hit=[x for x in L if x['url']==c[3]]; assert len(hit)==1; hit[0]['url']=c[4]
    open(f,'w',encoding='utf-8').write(json.dumps(j,indent=2,ensure_ascii=ea)+'\n')
print(len(CH),'changes')
