/**
 * The pages' stylesheet, stored in KV like every document (a file, so the pages'
 * Content-Security-Policy needs no inline style). The icons are made from the site
 * config's icon (site/read-site-icon.ts, render/render-site-icons.ts).
 *
 * Colours meet WCAG 2.2 AA contrast (1.4.3) in both schemes: text ≥ 7:1 and muted text
 * and links ≥ 4.5:1 against their backgrounds. System fonts only: no third-party request.
 *
 * A thumbnail that cannot be loaded (a dead link, a host that does not resolve: the sample
 * site's are on invented `.example` hosts) shows the same muted icon as an item without a
 * picture instead of the browser's broken-image sign: browsers draw an `<img>`'s ::before
 * and ::after only when the image failed (it is then no replaced element), so they cover
 * the sign there and never a loaded picture.
 */
export const STYLESHEET = `:root{color-scheme:light dark;--bg:#fdfdfc;--fg:#1b1b1f;--muted:#50505c;--link:#0b57d0;--line:#d6d6de;--card:#f2f2f5;--accent:#c2410c;--focus:#0b57d0}
@media (prefers-color-scheme:dark){:root{--bg:#121216;--fg:#ececf1;--muted:#b0b0bd;--link:#8ab4f8;--line:#34343e;--card:#1d1d24;--accent:#fb923c;--focus:#8ab4f8}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-100vw;top:.5rem;background:var(--bg);padding:.5rem .75rem;z-index:1}
.skip:focus{left:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
header.site,footer.site{padding:.7rem max(1rem,calc((100% - 48rem)/2))}
header.site{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem 1.25rem;border-bottom:1px solid var(--line)}
header.site .home{display:inline-flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.1rem;text-decoration:none;color:var(--fg)}
header.site nav{display:flex;gap:1rem;font-size:.95rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;margin-top:3rem}
footer.site p{margin:.25rem 0}
main{max-width:50rem;margin:0 auto;padding:0 1rem}
h1{font-size:clamp(1.6rem,1.2rem + 2vw,2.1rem);line-height:1.2;margin:1.75rem 0 .35rem}
h2{font-size:1.25rem;line-height:1.3;margin:2.25rem 0 .6rem}
.box h2{margin-top:0}
h3{font-size:1.05rem;line-height:1.35;margin:0 0 .2rem}
.lede{color:var(--muted);font-size:1.1rem;margin:0 0 1.5rem}
.meta,.count{color:var(--muted);font-size:.9rem;font-weight:400}
.kicker{margin:1.75rem 0 0;color:var(--accent);font-weight:600;font-size:.85rem;letter-spacing:.06em;text-transform:uppercase}
.kicker a{text-transform:none;letter-spacing:0;font-weight:400;margin-left:.4rem}
.kicker+h1{margin-top:.2rem}
.box{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem}
.box>p:last-child,.box>ol:last-child{margin-bottom:0}
ul.feeds{list-style:none;padding:0;margin:.6rem 0;display:grid;gap:.4rem}
ul.feeds li{display:grid;grid-template-columns:6rem minmax(0,1fr);align-items:center;gap:.5rem}
ul.feeds a{font-weight:600}
input.copy{width:100%;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.35rem .5rem}
ol.steps{padding-left:1.4rem}
ol.steps li{margin:.3rem 0}
ul.groups{list-style:none;padding-left:0;margin:0}
ul.groups>li{border-top:1px solid var(--line);padding:.55rem 0}
ul.groups>li:last-child{border-bottom:1px solid var(--line)}
ul.groups ul.groups{margin:.4rem 0 -.55rem 1.25rem}
ul.groups ul.groups>li:last-child{border-bottom:0}
.entry{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15rem .75rem}
.entry .name{font-weight:600;font-size:1.05rem}
.formats{display:inline-flex;gap:.6rem;margin-left:auto;font-size:.9rem}
details.copy{font-size:.9rem}
details.copy summary{cursor:pointer;color:var(--muted);width:max-content;max-width:100%;min-height:24px;padding:.1rem 0}
details.copy[open] summary{margin-bottom:.2rem}
details.copy ul.feeds{padding-left:1.1rem}
ol.items{list-style:none;padding:0;margin:0}
.pager{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.more{margin:1rem 0}
.push-count{color:var(--muted);margin:-1rem 0 1.5rem}
li.item{display:flex;gap:1rem;padding:.9rem 0;border-top:1px solid var(--line)}
li.item:last-child{border-bottom:1px solid var(--line)}
li.item .thumb{flex:none;width:112px;height:75px;object-fit:cover;border-radius:6px;background:var(--card);border:1px solid var(--line)}
li.item article{min-width:0}
span.thumb{background:var(--card) url(/icon.svg) no-repeat center/26px;filter:grayscale(1);opacity:.45}
img.thumb{position:relative}
img.thumb::before,img.thumb::after{content:"";position:absolute;inset:0;border-radius:5px}
img.thumb::before{background:var(--bg)}
img.thumb::after{background:var(--card) url(/icon.svg) no-repeat center/26px;filter:grayscale(1);opacity:.45}
time{white-space:nowrap}
li.item p{margin:.2rem 0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);border:1px solid var(--line);padding:.05rem .3rem;border-radius:4px;overflow-wrap:anywhere}
q{font-style:italic}
@media (max-width:36rem){
header.site nav{gap:.85rem}
.formats{margin-left:0;width:100%}
ul.feeds li{grid-template-columns:1fr;gap:.15rem}
details.copy ul.feeds{padding-left:0}
li.item{gap:.75rem}
li.item .thumb{width:72px;height:54px}
.box{padding:.85rem}
}
`;
