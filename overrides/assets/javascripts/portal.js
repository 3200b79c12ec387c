// The portal's own behaviour on every page; everything here is an enhancement: pages read and navigate
// without it. No third-party script, no request to another host.

// A visitor whose browser prefers another language this page really exists in is offered that
// translation: a small bar, fixed at the bottom (no layout shift), never a redirect. Dismissal is kept.
(() => {
  const data = document.getElementById("portal-suggest");
  const key = "portal.suggest.dismissed";
  if (!data) return;
  try {
    if (localStorage.getItem(key)) return;
  } catch {
    return; // storage blocked: without a way to remember "no", do not ask
  }
  const strings = JSON.parse(data.textContent);
  const alternates = new Map(
    [...document.querySelectorAll('link[rel="alternate"][hreflang]')]
      .filter((link) => link.hreflang !== "x-default")
      .map((link) => [link.hreflang.toLowerCase(), link.href]),
  );
  const current = document.documentElement.lang.toLowerCase();
  for (const preferred of navigator.languages || [navigator.language]) {
    const code = preferred.toLowerCase().split("-")[0];
    if (code === current) return; // the visitor reads this language: nothing to offer
    if (!strings[code] || !alternates.has(code)) continue;
    const text = strings[code];
    const bar = document.createElement("aside");
    bar.className = "portal-suggest";
    bar.lang = code;
    bar.setAttribute("aria-label", text.action);
    const message = document.createElement("p");
    const link = document.createElement("a");
    link.href = alternates.get(code);
    link.hreflang = code;
    link.textContent = text.action;
    message.append(text.text, " ", link);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "portal-suggest__close";
    close.setAttribute("aria-label", text.dismiss);
    close.textContent = "×";
    close.addEventListener("click", () => {
      try {
        localStorage.setItem(key, "1");
      } catch {
        /* nothing to remember with */
      }
      bar.remove();
    });
    bar.append(message, close);
    document.body.append(bar);
    return;
  }
})();

// Share: the phone's own share sheet (Zalo, WeChat and the rest, where installed), copy-link, and a
// QR code to scan with Zalo or WeChat, drawn here by the vendored uqr encoder when first opened.
for (const share of document.querySelectorAll("[data-portal-share]")) {
  const { url, title, copied } = share.dataset;
  const status = share.querySelector(".portal-share__status");
  const native = share.querySelector("[data-portal-share-native]");
  if (native && navigator.share) {
    native.hidden = false;
    native.querySelector("button").addEventListener("click", () => navigator.share({ url, title }).catch(() => {}));
  }
  const copy = share.querySelector("[data-portal-share-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.querySelector("button").addEventListener("click", async () => {
      await navigator.clipboard.writeText(url);
      status.textContent = copied;
    });
  }
  const qr = share.querySelector("[data-portal-share-qr]");
  if (qr) {
    qr.hidden = false;
    qr.addEventListener("toggle", async () => {
      const image = qr.querySelector("img");
      if (!qr.open || !image.hidden) return;
      const { renderSVG } = await import(new URL(qr.dataset.encoder, document.baseURI).href);
      const svg = renderSVG(url, { ecc: "M", border: 4 });
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      image.hidden = false;
    });
  }
}

// Videos from the services allowlisted in mkdocs.yml arrive as links (vnportal/safety): the player is
// requested only when the visitor presses play. The Content-Security-Policy admits no other frame.
for (const link of document.querySelectorAll("a[data-embed]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const player = document.createElement("iframe");
    player.src = link.dataset.embed;
    player.title = link.dataset.title;
    player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    player.allowFullscreen = true;
    player.referrerPolicy = "strict-origin-when-cross-origin";
    link.replaceWith(player);
    player.focus();
  });
}
