/** A link to a page of Twilio or ngrok: opens in the organiser's browser (in the desktop app, through the window's open handler). */
export function ExternalLink(props: { readonly href: string; readonly children: string }) {
  return (
    <a href={props.href} target="_blank" rel="noopener noreferrer" className="external">
      {props.children} ↗
    </a>
  );
}
