/** The organiser's window. For now it says the line is running; the dashboard comes with the desktop-app issue. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', lineHeight: 1.6 }}>
      <h1>祝電 Shukuden</h1>
      <p lang="ja">電話回線を準備しています。</p>
      <p lang="en">Your message line is getting ready.</p>
    </main>
  );
}
