import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { allowPermission, APP_ORIGIN, APP_URL, isOurPage, originOf, rendererFile } from '../../electron/app-origin.ts';

const ours = { fromOurWindow: true, topFrame: true, url: APP_URL };

describe('the desktop window’s origin', () => {
  it('is a custom scheme with a real origin, not file://', () => {
    assert.equal(originOf(APP_URL), 'shukuden-app://ui');
    assert.equal(originOf('file:///Applications/Shukuden.app/index.html'), '');
    assert.equal(originOf('not a url'), '');
  });

  it('lets only our window’s top frame on exactly our origin call the API', () => {
    assert.equal(isOurPage(ours, APP_ORIGIN), true);
    assert.equal(isOurPage({ ...ours, topFrame: false }, APP_ORIGIN), false, 'a subframe, even on our origin');
    assert.equal(isOurPage({ ...ours, fromOurWindow: false }, APP_ORIGIN), false, 'another window');
    for (const url of ['file:///tmp/index.html', 'shukuden-app://other/index.html', 'shukuden-app://ui.evil/index.html', 'https://ui/index.html', 'shukuden-media://takes/RE0', 'about:blank', '']) {
      assert.equal(isOurPage({ ...ours, url }, APP_ORIGIN), false, url);
    }
    assert.equal(isOurPage({ ...ours, url: 'http://localhost:5173/' }, 'http://localhost:5173'), true, 'the dev server in npm start');
  });

  it('allows the microphone to our page only, and nothing else', () => {
    const ask = { ...ours, permission: 'media', mediaTypes: ['audio'] };
    assert.equal(allowPermission(ask, APP_ORIGIN), true);
    assert.equal(allowPermission({ ...ask, mediaTypes: ['audio', 'video'] }, APP_ORIGIN), false, 'no camera');
    assert.equal(allowPermission({ ...ask, mediaTypes: [] }, APP_ORIGIN), false);
    assert.equal(allowPermission({ ...ask, topFrame: false }, APP_ORIGIN), false, 'not a subframe');
    assert.equal(allowPermission({ ...ask, url: 'https://example.com/' }, APP_ORIGIN), false, 'not remote content');
    assert.equal(allowPermission({ ...ask, fromOurWindow: false }, APP_ORIGIN), false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal', 'midi', 'fullscreen']) {
      assert.equal(allowPermission({ ...ask, permission }, APP_ORIGIN), false, permission);
    }
  });

  it('serves files of the built renderer and nothing outside it', () => {
    const dir = resolve('/app/out/renderer');
    assert.equal(rendererFile(dir, 'shukuden-app://ui/'), join(dir, 'index.html'));
    assert.equal(rendererFile(dir, 'shukuden-app://ui/assets/index-1.js?x=1'), join(dir, 'assets', 'index-1.js'));
    for (const url of ['shukuden-app://ui/../main/index.js', 'shukuden-app://ui/%2e%2e/%2e%2e/package.json', 'shukuden-app://ui/..%2f..%2fsecrets.json', 'shukuden-app://other/index.html', 'file:///etc/passwd', 'shukuden-app://ui/%E0%A4%A']) {
      const file = rendererFile(dir, url);
      assert.ok(file === null || file.startsWith(dir + '/'), `${url} → ${file}`);
    }
    assert.equal(rendererFile(dir, 'shukuden-app://ui/..%2f..%2fsecrets.json'), null, 'an encoded way out');
    assert.equal(rendererFile(dir, 'shukuden-app://other/index.html'), null);
    assert.equal(rendererFile(dir, 'file:///etc/passwd'), null);
  });
});
