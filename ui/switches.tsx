// The gates' strict / lenient switches: one button per value, the current one pressed.
import { switches, type SwitchesState } from './api.js';
import { OutcomeNotices, useControl } from './control.js';

type Key = keyof SwitchesState;

const SWITCHES: { key: Key; flag: string; title: string; values: Record<string, string> }[] = [
  {
    key: 'version_check',
    flag: '--version-check',
    title: 'Version check',
    values: { strict: 'a version Snyk published', lenient: 'any well-formed version, served as the newest', off: 'no version needed' },
  },
  {
    key: 'auth',
    flag: '--auth',
    title: 'Authentication',
    values: { strict: 'a credential the mock issued', presence: 'any well-formed credential, all access', off: 'no credential needed, all access' },
  },
];

export function SwitchesPanel(props: { tick: number }) {
  const { state, outcome, run } = useControl(switches.get, props.tick);
  return (
    <>
      {SWITCHES.map((s) => {
        const current = state?.[s.key];
        return (
          <div class="switch" key={s.key}>
            <p class="switch-title" id={`switch-${s.key}`}>
              {s.title} <code>{s.flag}</code>
            </p>
            <fieldset class="toggle-group" aria-labelledby={`switch-${s.key}`}>
              {Object.keys(s.values).map((value) => (
                <button
                  type="button"
                  aria-pressed={current === value}
                  disabled={!state}
                  onClick={() => void run(() => switches.set({ [s.key]: value } as Partial<SwitchesState>), `${s.title}: ${value}.`)}
                >
                  {value}
                </button>
              ))}
            </fieldset>
            {current ? <p class="hint">{s.values[current]}</p> : null}
          </div>
        );
      })}
      <OutcomeNotices outcome={outcome} />
    </>
  );
}
