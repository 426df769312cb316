import { useEffect, useState } from 'react';
import { Avatar } from './avatar.js';

interface TeamMember {
  id: string;
  name: string;
  role: 'agent' | 'admin';
}

/** Who is using the inbox: the demo server lists its agents; pick one. */
export function SignIn() {
  const [team, setTeam] = useState<TeamMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/team')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status}`))))
      .then((body: { items: TeamMember[] }) => setTeam(body.items))
      .catch((e: unknown) => setError(String(e)));
  }, []);
  return (
    <div className="sign-in">
      <div className="sign-in-card">
        <h1>Live Chat</h1>
        <p>Choose who you are. Open a second window as another agent to see two agents work side by side.</p>
        {error && <p className="muted">Could not load the team ({error}).</p>}
        <div className="sign-in-list">
          {team?.map((m) => (
            <a key={m.id} className="sign-in-item" href={`?agent=${encodeURIComponent(m.id)}`}>
              <Avatar name={m.name} id={m.id} size={36} />
              <span>
                <strong>{m.name}</strong>
                <span className="muted">{m.role === 'admin' ? 'Admin' : 'Agent'}</span>
              </span>
            </a>
          ))}
        </div>
      </div>
    </div>
  );
}
