import type { JourneyItem, JourneyView } from 'livechat-engine/inbox';
import { useInboxStore, useJourney } from 'livechat-engine/react';
import { stamp } from '../format.js';

/** Journey entries grouped by what kind of thing happened, for the dot's colour. */
function kindOf(item: JourneyItem): string {
  if (item.type.startsWith('message.')) return item.type === 'message.failed' ? 'failed' : 'message';
  if (item.type.startsWith('bot.')) return 'bot';
  if (item.type.startsWith('tag.') || item.type === 'attribute.changed') return 'profile';
  if (item.type === 'referral.received') return 'ad';
  return 'lifecycle';
}

/** The customer journey: everything that happened, who did it and when, newest first. */
export function Journey() {
  const store = useInboxStore();
  const journey: JourneyView | null = useJourney();
  return (
    <section className="card journey-card">
      <h4 className="card-title">Customer journey</h4>
      {!journey || journey.status === 'loading' ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="journey" data-testid="journey">
          {journey.items.map((item) => (
            <li key={item.id} className={`journey-item journey-${kindOf(item)}`} data-type={item.type}>
              <span className="journey-dot" />
              <div className="journey-body">
                <span className="journey-title">{item.title}</span>
                {item.detail && <span className="journey-detail">{item.detail}</span>}
                <span className="journey-meta">
                  {item.actorName} · {stamp(item.at)}
                </span>
              </div>
            </li>
          ))}
          {journey.hasOlder && (
            <li>
              <button type="button" className="load-more" onClick={() => void store.loadOlderJourney()}>
                Show earlier events
              </button>
            </li>
          )}
        </ol>
      )}
    </section>
  );
}
