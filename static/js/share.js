// Sharing an article (templates/includes/share_links.html): the links work without this.
// 카카오톡 has no share link without the Kakao SDK, so it opens the phone's share sheet
// (where KakaoTalk is listed) or, where there is none, copies the link to paste in a chat.

const shareStatus = document.querySelector("[data-share-status]");

function announce(message) {
  // Emptied first, so the same message is read out again on a second copy.
  shareStatus.textContent = "";
  window.setTimeout(() => { shareStatus.textContent = message; }, 50);
}

async function copyLink(button) {
  const url = button.dataset.copyLink || button.dataset.shareUrl;
  try {
    await navigator.clipboard.writeText(url);
    announce(button.dataset.shareDone);
  } catch {
    announce(shareStatus.dataset.shareFailed); // no clipboard (an old browser, or refused)
  }
}

function openShareSheet(button) {
  return navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
    .catch(() => {}); // the reader closed the share sheet
}

if (shareStatus) {
  if (navigator.share) {
    document.querySelectorAll("[data-share-sheet]").forEach((item) => { item.hidden = false; });
  }
  document.addEventListener("click", (event) => {
    const kakao = event.target.closest("[data-share-kakao]");
    if (kakao) {
      if (navigator.share) openShareSheet(kakao);
      else copyLink(kakao);
    }
    const copy = event.target.closest("[data-copy-link]");
    if (copy) copyLink(copy);
    const sheet = event.target.closest("[data-share-sheet-button]");
    if (sheet) openShareSheet(sheet);
  });
}
