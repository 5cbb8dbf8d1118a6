/** One playlist line: the file (relative to the playlist), its length and title. */
export interface PlaylistItem {
  readonly file: string;
  readonly seconds: number;
  readonly title: string;
}

/**
 * An extended M3U playlist in UTF-8 (`.m3u8`): #EXTM3U, then #EXTINF with whole seconds (what
 * old players parse) and the title, then the relative path. CRLF line ends suit every player.
 */
export function m3u8(items: readonly PlaylistItem[]): string {
  const lines = ['#EXTM3U'];
  for (const item of items) {
    // A title with a line break would end the directive early.
    lines.push(`#EXTINF:${Math.max(1, Math.round(item.seconds))},${item.title.replace(/[\r\n]+/g, ' ')}`, item.file);
  }
  return `${lines.join('\r\n')}\r\n`;
}
