// The strict / lenient switches of the gates (--version-check, --auth), changeable at run time
// (POST /__admin/switches). Every error a switch can relax names it, so the escape hatch is found
// where it is needed: "… (start with --version-check=lenient to accept any date)".
import { flagOf, type Settings } from '../settings/config.js';
import { checked } from '../schemas/check.js';
import { SwitchesBody, type SwitchesState } from '../schemas/switches.js';

export type VersionCheck = Settings['versionCheck'];
export type AuthMode = Settings['auth'];

/** The sentence an error ends with to name the switch value that would let the request through. */
export const startWith = (key: 'versionCheck' | 'auth', value: string, effect: string): string => ` (start with ${flagOf(key)}=${value} ${effect})`;

/** The switches as the in-process API offers them (`server.switches`). */
export interface SwitchControl {
  state(): SwitchesState;
  set(body: SwitchesBody): SwitchesState;
}

export class Switches implements SwitchControl {
  versionCheck: VersionCheck;
  auth: AuthMode;

  constructor(settings: Pick<Settings, 'versionCheck' | 'auth'>) {
    this.versionCheck = settings.versionCheck;
    this.auth = settings.auth;
  }

  state(): SwitchesState {
    return { version_check: this.versionCheck, auth: this.auth };
  }

  /** Changes the switches given; the others keep their value. */
  set(input: SwitchesBody): SwitchesState {
    const body = checked(SwitchesBody, input);
    if (body.version_check !== undefined) this.versionCheck = body.version_check;
    if (body.auth !== undefined) this.auth = body.auth;
    return this.state();
  }
}
