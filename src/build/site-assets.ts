/**
 * The two static files the pages and feeds refer to, stored in KV like every document:
 * a stylesheet (a file, so the pages' Content-Security-Policy needs no inline style) and
 * the feed icon used as favicon, Atom icon/logo and JSON Feed icon.
 */
export const STYLESHEET = `:root{color-scheme:light dark;--bg:#fdfdfc;--fg:#1b1b1f;--muted:#575763;--link:#0b57d0;--line:#dcdce3;--card:#f3f3f6}
@media (prefers-color-scheme:dark){:root{--bg:#121216;--fg:#ececf1;--muted:#a9a9b6;--link:#8ab4f8;--line:#34343c;--card:#1c1c22}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
header.site,footer.site{padding:.75rem max(1rem,calc((100% - 52rem)/2));border-bottom:1px solid var(--line)}
footer.site{border-top:1px solid var(--line);border-bottom:0;color:var(--muted);font-size:.9rem;margin-top:2rem}
header.site .home{font-weight:700;text-decoration:none;color:var(--fg)}
main{max-width:52rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.75rem;line-height:1.25;margin:1.5rem 0 .25rem}
h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .2rem}
.lede,.meta{color:var(--muted)}
.meta{font-size:.9rem}
ul.groups{list-style:none;padding-left:0}
ul.groups ul.groups{padding-left:1.25rem;border-left:2px solid var(--line)}
ul.groups li{margin:.3rem 0}
details summary{cursor:pointer}
ul.feeds{list-style:none;padding:.5rem 0 .5rem 1rem;margin:0;display:grid;gap:.35rem}
ul.feeds a{display:inline-block;min-width:5.5rem}
input.copy{font:13px ui-monospace,monospace;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:4px;padding:.15rem .35rem;max-width:100%}
ol.items{list-style:none;padding:0}
li.item{display:flex;gap:.9rem;padding:.8rem 0;border-bottom:1px solid var(--line)}
li.item img{flex:none;width:96px;height:64px;object-fit:cover;border-radius:4px;background:var(--card)}
li.item p{margin:.2rem 0}
code{font:13px ui-monospace,monospace;background:var(--card);padding:.1rem .3rem;border-radius:3px;word-break:break-all}
@media (max-width:32rem){li.item img{width:64px;height:48px}ul.feeds{padding-left:0}}
`;

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="12" fill="#f26522"/><circle cx="18" cy="46" r="6" fill="#fff"/><path d="M12 26a26 26 0 0 1 26 26h-8a18 18 0 0 0-18-18z" fill="#fff"/><path d="M12 10a42 42 0 0 1 42 42h-8a34 34 0 0 0-34-34z" fill="#fff"/></svg>
`;
