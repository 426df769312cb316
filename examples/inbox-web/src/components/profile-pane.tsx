import { useState, type FormEvent } from 'react';
import type { AttributeView, ProfileView, TagDefinition, TagView } from 'livechat-engine/inbox';
import { useProfile, useInboxStore } from 'livechat-engine/react';
import { listTime, stamp } from '../format.js';
import { Avatar } from './avatar.js';
import { CloseIcon, MegaphoneIcon, PencilIcon, TagIcon } from './icons.js';
import { Journey } from './journey.js';

/** The third column: who the customer is (attributes, tags) and everything that happened. */
export function ProfilePane() {
  const profile = useProfile();
  if (!profile) {
    return (
      <aside className="profile profile-empty">
        <p>The customer’s profile and journey appear here.</p>
      </aside>
    );
  }
  return (
    <aside className="profile" data-testid="profile">
      <section className="card profile-card">
        <Avatar name={profile.name ?? profile.address} id={profile.contactId} size={56} />
        <h3 data-testid="profile-name">{profile.name ?? profile.address}</h3>
        <span className="profile-address">
          <span className="channel-badge">WhatsApp</span>
          {profile.address}
        </span>
        <dl className="facts">
          <div>
            <dt>First seen</dt>
            <dd>{listTime(profile.firstSeenAt)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{listTime(profile.lastSeenAt)}</dd>
          </div>
        </dl>
        {profile.referral && (
          <div className="referral" title={profile.referral.sourceUrl}>
            <MegaphoneIcon size={14} />
            <span>
              From an ad: <strong>{profile.referral.headline ?? profile.referral.sourceUrl ?? 'Click-to-WhatsApp'}</strong>
            </span>
          </div>
        )}
      </section>
      <Attributes profile={profile} />
      <Tags profile={profile} />
      <Journey />
    </aside>
  );
}

function Attributes({ profile }: { profile: ProfileView }) {
  return (
    <section className="card">
      <h4 className="card-title">Attributes</h4>
      <div className="attributes">
        {profile.attributes.map((a) => (
          <Attribute key={a.key} attribute={a} contactId={profile.contactId} />
        ))}
      </div>
    </section>
  );
}

function Attribute({ attribute, contactId }: { attribute: AttributeView; contactId: string }) {
  const store = useInboxStore();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = attribute.value === null || attribute.value === '' ? null : String(attribute.value);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const value = draft?.trim() ?? '';
    setDraft(null);
    if (value === (shown ?? '')) return;
    void store.setAttribute(attribute.key, value === '' ? null : attribute.type === 'number' && !Number.isNaN(Number(value)) ? Number(value) : value, { contactId });
  };
  if (draft !== null) {
    return (
      <form className="attribute attribute-editing" onSubmit={save} data-attribute={attribute.key}>
        <label>
          <span className="attribute-label">{attribute.label}</span>
          <input
            autoFocus
            type={attribute.type === 'email' ? 'email' : attribute.type === 'number' ? 'number' : 'text'}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setDraft(null)}
            aria-label={attribute.label}
          />
        </label>
        <div className="attribute-buttons">
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setDraft(null)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-small btn-primary">
            Save
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className={`attribute ${attribute.pending ? 'attribute-pending' : ''}`} data-attribute={attribute.key}>
      <span className="attribute-label">{attribute.label}</span>
      <span className={`attribute-value ${shown === null ? 'muted' : ''}`} data-testid={`attribute-${attribute.key}`} title={shown ?? undefined}>
        {shown ?? 'Not set'}
      </span>
      <button type="button" className="icon-btn" aria-label={`Edit ${attribute.label}`} onClick={() => setDraft(shown ?? '')}>
        <PencilIcon size={13} />
      </button>
    </div>
  );
}

const sourceText: Record<TagView['source'], string> = {
  'first-message': 'First message',
  api: 'API',
  broadcast: 'Broadcast',
  manual: 'Manual',
  rule: 'Rule',
};

function Tags({ profile }: { profile: ProfileView }) {
  const store = useInboxStore();
  const groups = new Map<string, TagDefinition[]>();
  for (const tag of profile.availableTags) groups.set(tag.category, [...(groups.get(tag.category) ?? []), tag]);
  return (
    <section className="card">
      <h4 className="card-title">Tags</h4>
      <div className="tags" data-testid="tags">
        {profile.tags.length === 0 && <span className="muted">No tags yet</span>}
        {profile.tags.map((tag) => (
          <span
            key={tag.name}
            className={`chip ${tag.pending ? 'chip-pending' : ''}`}
            data-tag={tag.name}
            style={tag.color ? { ['--chip' as string]: tag.color } : undefined}
            title={`${sourceText[tag.source]} · added by ${tag.actorName} · ${stamp(tag.at)}`}
          >
            <span className="chip-dot" />
            {tag.name}
            <span className="chip-source">{tag.source === 'manual' ? tag.actorName : sourceText[tag.source]}</span>
            <button type="button" className="chip-x" aria-label={`Remove ${tag.name}`} onClick={() => void store.removeTag(tag.name, { contactId: profile.contactId })}>
              <CloseIcon size={11} />
            </button>
          </span>
        ))}
      </div>
      {groups.size > 0 && (
        <label className="tag-picker">
          <TagIcon size={14} />
          <select
            value=""
            aria-label="Add a tag"
            onChange={(e) => {
              if (e.target.value) void store.addTag(e.target.value, { contactId: profile.contactId });
            }}
          >
            <option value="">Add a tag…</option>
            {[...groups].map(([category, tags]) => (
              <optgroup key={category} label={category}>
                {tags.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}
