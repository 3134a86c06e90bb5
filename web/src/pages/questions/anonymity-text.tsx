/** What "anonymous" means here, said plainly, for the ask form and the private link page. */
export function AnonymityExplained() {
  return (
    <div className="anonymity-note">
      <h2>What anonymous means here</h2>
      <ul>
        <li>
          Your question is stored <strong>without your name, your account or the time you asked</strong> (only the day).
          Not your mentor, not the program director, not an administrator can find out it was you — the app itself does
          not know.
        </li>
        <li>
          You get a <strong>private link</strong> to read answers. It is the only key to them: anyone holding it can
          read the answers, and if you lose it nobody can give it back to you.
        </li>
        <li>
          This browser keeps your links in its own storage (your “anonymous inbox”). Someone using this browser could
          open them; clearing the browser’s data empties the inbox. Copy the link somewhere safe if you want to keep it.
        </li>
        <li>
          Do not put your name or details that identify you in the question if you want to stay anonymous. If you agree,
          a good answer may be published in the program’s FAQ after the director approves it.
        </li>
      </ul>
    </div>
  );
}
