// How the site counts characters, for every counter on it (DESIGN.md, "The 1,000-character
// rule"): Unicode code points, after \r\n and lone \r become \n, exactly as the server
// counts them (comments.models). Loaded before the scripts that count.
window.countCharacters = (text) => [...text.replace(/\r\n?/g, "\n")].length;
