import type { MedSyncApi } from '../../platform/api/medsyncApi';
import { h } from '../../platform/ui/dom';
import type { Peer } from './codec';
import type { ReadoutSession } from './session';
import type { SessionState } from './state';
import type { SyncViewer } from './viewer';

/** Roles that may hold the floor (the server enforces it: docs/readout-protocol.md, FLOOR_REQUEST). */
const DRIVER_ROLES: readonly string[] = ['attending', 'resident', 'admin'];
/** Roles that see studies de-identified (the server's Role.seesDeidentified); chat reaches them as typed. */
const DEIDENTIFIED_ROLES: readonly string[] = ['student', 'observer'];

/**
 * The readout side panel: connection and driver status, participants (driver, ready, following, muted,
 * speaking, asking to drive; the driver hands the floor over from here), floor buttons, worklist position,
 * invites, chat, microphone; plus the 'not following' banner, a brief notice when the view data switches between
 * the mesh and the server's relay, and the driver's telepointer over the viewport.
 */
export function createReadoutPanel(
  session: ReadoutSession,
  viewer: SyncViewer,
  api: MedSyncApi,
  readoutId: string,
): HTMLElement {
  const status = h('div', { class: 'readout-status', 'data-testid': 'readout-status', role: 'status' });
  const roster = h('ul', { class: 'readout-roster', 'data-testid': 'roster' });
  const btn = (testId: string, label: string, onClick: () => void): HTMLButtonElement =>
    h('button', { type: 'button', class: 'btn', 'data-testid': testId, onclick: onClick }, label);
  const request = btn('floor-request', 'Ask to drive', () => session.requestFloor(false));
  const take = btn('floor-take', 'Take the floor', () => session.requestFloor(true));
  const release = btn('floor-release', 'Release', () => session.releaseFloor());
  const prev = btn('worklist-prev', '◀ Previous study', () => session.goTo(session.state.worklistIndex - 1));
  const next = btn('worklist-next', 'Next study ▶', () => session.goTo(session.state.worklistIndex + 1));
  const position = h('span', { 'data-testid': 'worklist-position' });
  const mute = btn('mute-toggle', 'Mute', () => void session.setMuted(!session.state.muted));
  const banner = h(
    'div',
    { class: 'not-following', 'data-testid': 'not-following', role: 'alert', hidden: true },
    'You are browsing on your own, not following the driver. ',
    btn('snap-back', 'Snap back', () => session.setFollowing(true)),
  );
  const topologyNotice = h('div', {
    class: 'topology-notice',
    'data-testid': 'topology-notice',
    role: 'status',
    hidden: true,
  });
  let noticeSwitches = session.state.topologySwitches;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const chatList = h('ol', { class: 'readout-chat', 'data-testid': 'chat-log', 'aria-live': 'polite' });
  const chatInput = h('input', {
    type: 'text',
    'data-testid': 'chat-input',
    maxlength: 2000,
    placeholder: 'Message',
    'aria-label': 'Chat message',
  });
  // Chat is a conversation, like the audio, and reaches everyone as typed: whoever writes is told when it
  // reaches someone who must not learn who the patient is (docs/security.md, "Roles and de-identification").
  const chatWarning = h(
    'p',
    { class: 'chat-warning', 'data-testid': 'chat-deidentified-warning', role: 'note', hidden: true },
    'Students or observers read this chat: no patient names, IDs or dates.',
  );
  const sendChat = (): void => {
    session.chat(chatInput.value);
    chatInput.value = '';
  };
  chatInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') sendChat();
    e.stopPropagation();
  });
  const inviteRole = h(
    'select',
    { 'data-testid': 'invite-role', 'aria-label': 'Invite role' },
    ...['resident', 'student', 'observer', 'attending'].map((r) => h('option', { value: r }, r)),
  );
  // How many guests one link admits: one by default, so a forwarded link lets nobody else in; more for a class.
  const inviteUses = h('input', {
    type: 'number',
    min: 1,
    max: 64,
    value: 1,
    'data-testid': 'invite-uses',
    'aria-label': 'Guests this invite admits',
    title: 'Guests this invite admits',
  });
  const inviteLink = h('input', {
    type: 'text',
    readonly: true,
    'data-testid': 'invite-link',
    'aria-label': 'Invite link',
  });
  const inviteList = h('ul', { class: 'readout-invites', 'data-testid': 'invite-list' });
  const invitesPath = `/api/readouts/${encodeURIComponent(readoutId)}/invites`;
  interface InviteView {
    id: string;
    role: string;
    expiresAt: string;
    maxUses: number;
    uses: number;
    revoked: boolean;
  }
  const listInvites = (): void => {
    void api.client
      .send<InviteView[]>('GET', invitesPath)
      .then((all) =>
        inviteList.replaceChildren(
          ...all
            .filter((i) => !i.revoked)
            .map((i) =>
              h(
                'li',
                { 'data-testid': 'invite-entry', 'data-invite-id': i.id },
                `${i.role} · ${i.uses}/${i.maxUses} used · until ${new Date(i.expiresAt).toLocaleTimeString()} `,
                btn(
                  'invite-revoke',
                  'Revoke',
                  () => void api.client.send('DELETE', `${invitesPath}/${encodeURIComponent(i.id)}`).then(listInvites),
                ),
              ),
            ),
        ),
      )
      .catch(() => inviteList.replaceChildren());
  };
  const invite = btn('invite-create', 'Invite', () => {
    void api.client
      .send<{ path: string }>('POST', invitesPath, {
        role: inviteRole.value,
        minutes: 120,
        maxUses: Number(inviteUses.value) || 1,
      })
      .then((r) => {
        inviteLink.value = `${location.origin}${r.path}`;
        listInvites();
      })
      .catch((e: unknown) => (inviteLink.value = `error: ${(e as Error).message}`));
  });
  const inviteBox = h('div', { class: 'readout-invite' }, inviteRole, inviteUses, invite, inviteLink, inviteList);

  const pointer = h('div', { class: 'telepointer', 'data-testid': 'telepointer', hidden: true });
  viewer.element.append(pointer);
  const placePointer = (s: SessionState): void => {
    // A free-browsing follower shows another view than the driver's: the driver's pointer would mislead there.
    const at =
      s.pointer.visible && !session.isDriver && s.following
        ? viewer.imageToCanvas(s.pointer.x, s.pointer.y)
        : undefined;
    pointer.hidden = !at;
    if (at) {
      pointer.style.left = `${at[0]}px`;
      pointer.style.top = `${at[1]}px`;
      pointer.setAttribute('data-x', s.pointer.x.toFixed(4));
      pointer.setAttribute('data-y', s.pointer.y.toFixed(4));
    }
  };
  viewer.events.on('state', () => placePointer(session.state));

  // Roster entries are kept per peer and updated in place, so a button is not replaced under the pointer.
  const entries = new Map<number, { li: HTMLLIElement; label: HTMLSpanElement; handOver: HTMLButtonElement }>();
  const renderRoster = (s: SessionState): void => {
    const present = new Set(s.peers.map((p) => p.id));
    for (const [id, e] of entries) {
      if (!present.has(id)) {
        e.li.remove();
        entries.delete(id);
      }
    }
    const items = s.peers.map((p: Peer) => {
      let e = entries.get(p.id);
      if (!e) {
        const handOver = btn('floor-hand-over', 'Hand over', () => session.handOver(p.id));
        handOver.setAttribute('data-peer-id', String(p.id));
        e = { li: h('li', { 'data-testid': 'roster-entry', 'data-peer-id': p.id }), label: h('span', {}), handOver };
        e.li.append(e.label, handOver);
        entries.set(p.id, e);
      }
      const driving = p.id === s.floor.holder;
      const asking = s.floor.requests.includes(p.id);
      const attrs: Record<string, string> = {
        'data-role': p.role,
        'data-ready': String(p.ready),
        'data-driver': String(driving),
        'data-following': String(p.following),
        'data-muted': String(p.muted),
        'data-speaking': String(s.speaking.has(p.id)),
        'data-me': String(p.id === s.me),
        'data-requesting': String(asking),
        'data-guest': String(p.guest),
      };
      for (const [k, v] of Object.entries(attrs)) e.li.setAttribute(k, v);
      e.label.textContent =
        `${driving ? '▶ ' : ''}${p.name} (${p.guest ? `guest ${p.role}` : p.role})${p.ready ? ' ✓ ready' : ' … loading'}${p.following ? '' : ' · browsing'}` +
        `${asking ? ' · asks to drive' : ''}${p.muted ? ' · muted' : ''}${s.speaking.has(p.id) ? ' · speaking' : ''}`;
      e.handOver.hidden = !session.isDriver || p.id === s.me || !DRIVER_ROLES.includes(p.role);
      e.handOver.setAttribute('aria-label', `Hand the floor to ${p.name}`);
      return e.li;
    });
    if (items.some((li, i) => roster.children[i] !== li) || roster.childElementCount !== items.length)
      roster.replaceChildren(...items);
  };

  const render = (s: SessionState): void => {
    const driver = s.peers.find((p) => p.id === s.floor.holder);
    status.setAttribute('data-state', s.connection);
    status.setAttribute('data-peer-id', String(s.me));
    status.setAttribute('data-role', s.role);
    status.setAttribute('data-driver', String(s.floor.holder));
    status.setAttribute('data-following', String(s.following));
    status.setAttribute('data-worklist-index', String(s.worklistIndex));
    status.setAttribute('data-loaded-index', String(s.loadedIndex));
    status.setAttribute('data-applied-seq', String(s.appliedSeq));
    status.setAttribute('data-sent-seq', String(s.sentSeq));
    status.setAttribute('data-last-error', s.lastError);
    status.setAttribute('data-topology', s.topology);
    status.setAttribute('data-audio', s.audioPath);
    if (s.topologySwitches !== noticeSwitches) {
      noticeSwitches = s.topologySwitches;
      topologyNotice.textContent =
        s.topology === 'relay'
          ? 'Large group: the view now reaches everyone through the server.'
          : 'Smaller group: the view goes directly between participants again.';
      topologyNotice.setAttribute('data-topology', s.topology);
      topologyNotice.hidden = false;
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => (topologyNotice.hidden = true), 4000);
    }
    status.textContent = `${s.connection}${driver ? ` · driver: ${driver.name}${session.isDriver ? ' (you)' : ''}` : ' · nobody drives'}`;
    renderRoster(s);
    request.hidden = !DRIVER_ROLES.includes(s.role) || session.isDriver;
    take.hidden = s.role !== 'attending' || session.isDriver || s.floor.holder === 0;
    release.hidden = !session.isDriver;
    prev.disabled = !session.isDriver || s.worklistIndex <= 0;
    next.disabled = !session.isDriver || s.worklistIndex >= s.worklist.length - 1;
    position.textContent = `Study ${s.worklistIndex + 1} / ${s.worklist.length}`;
    position.setAttribute('data-index', String(s.worklistIndex));
    mute.textContent = s.muted ? 'Unmute' : 'Mute';
    mute.setAttribute('aria-pressed', String(s.muted));
    banner.hidden = s.following || session.isDriver;
    inviteBox.hidden = !['attending', 'resident'].includes(s.role);
    chatWarning.hidden =
      DEIDENTIFIED_ROLES.includes(s.role) || !s.peers.some((p) => DEIDENTIFIED_ROLES.includes(p.role));
    if (chatList.childElementCount !== s.chat.length) {
      // Role and guest mark as the server stamped them: a guest who calls themselves "Dr Smith" still reads as a guest.
      chatList.replaceChildren(
        ...s.chat.map((c) =>
          h(
            'li',
            { 'data-testid': 'chat-message', 'data-from': c.from, 'data-role': c.role, 'data-guest': String(c.guest) },
            h('b', {}, c.name),
            ' ',
            h(
              'span',
              { class: c.guest ? 'chat-role chat-guest' : 'chat-role', 'data-testid': 'chat-role' },
              c.guest ? `guest ${c.role}` : c.role,
            ),
            ': ',
            c.text,
          ),
        ),
      );
      chatList.scrollTop = chatList.scrollHeight;
    }
    placePointer(s);
  };
  session.events.on('change', render);
  render(session.state);

  return h(
    'aside',
    { class: 'readout-panel', 'data-testid': 'readout-panel', 'aria-label': 'Readout' },
    status,
    topologyNotice,
    banner,
    h('div', { class: 'tool-group' }, request, take, release, mute),
    h('div', { class: 'tool-group' }, prev, position, next),
    h('h3', {}, 'Participants'),
    roster,
    inviteBox,
    h('h3', {}, 'Chat'),
    chatList,
    chatWarning,
    h('div', { class: 'tool-group' }, chatInput, btn('chat-send', 'Send', sendChat)),
  );
}
