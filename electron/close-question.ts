/**
 * What closing the window while the line is live asks (pure, tested in Node): guests can't
 * reach the laptop once Shukuden quits, unless the always-on line answers for it.
 */
import type { OrganiserState } from '../server/api/contract.ts';

export interface CloseQuestion {
  readonly message: string;
  readonly detail: string;
  /** In this order: keep running, quit, cancel. */
  readonly buttons: readonly [string, string, string];
}

export const KEEP_RUNNING = 0;
export const QUIT = 1;

/** Whether closing the window needs asking: the line answers on this laptop right now. */
export function closeNeedsAsking(state: Pick<OrganiserState, 'connection'>): boolean {
  return state.connection.ready;
}

export function closeQuestion(state: Pick<OrganiserState, 'language' | 'alwaysOn'>): CloseQuestion {
  const hosted = state.alwaysOn.enabled && state.alwaysOn.state === 'ready';
  if (state.language === 'ja') {
    return {
      message: '回線は受付中です。Shukuden を終了しますか？',
      detail: hosted
        ? '終了すると、着信は Twilio 上の常時受付の回線が受けます。このパソコンで受け続けるなら「バックグラウンドで続ける」を選んでください（メニューバー／タスクトレイのアイコンから終了できます）。'
        : '終了すると、ゲストからの電話はつながらなくなります。「バックグラウンドで続ける」なら、ウィンドウを閉じても受付を続けます（メニューバー／タスクトレイのアイコンから終了できます）。',
      buttons: ['バックグラウンドで続ける', '終了する', 'キャンセル'],
    };
  }
  return {
    message: 'The line is taking calls. Quit Shukuden?',
    detail: hosted
      ? 'After you quit, the always-on line on Twilio answers. To keep answering on this computer, choose "Keep running in the background" (quit later from the tray/menu-bar icon).'
      : 'After you quit, guests who call can’t reach you. "Keep running in the background" keeps the line answering with the window closed (quit later from the tray/menu-bar icon).',
    buttons: ['Keep running in the background', 'Quit', 'Cancel'],
  };
}

/** The tray menu: the line's status in plain words, then its two actions. */
export function trayLabels(state: Pick<OrganiserState, 'language' | 'alwaysOn'>): { readonly status: string; readonly open: string; readonly quit: string } {
  const mode = state.alwaysOn.modeNow[state.language];
  return state.language === 'ja'
    ? { status: `回線：${mode}`, open: 'Shukuden を開く', quit: 'Shukuden を終了' }
    : { status: `Line: ${mode}`, open: 'Open Shukuden', quit: 'Quit Shukuden' };
}
