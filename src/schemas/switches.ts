// /__admin/switches: the strict / lenient switches of the gates.
import { Type, type Static } from '@sinclair/typebox';

const VersionCheck = Type.Union([Type.Literal('strict'), Type.Literal('lenient'), Type.Literal('off')]);
const AuthMode = Type.Union([Type.Literal('strict'), Type.Literal('presence'), Type.Literal('off')]);

export const SwitchesState = Type.Object({ version_check: VersionCheck, auth: AuthMode });
export type SwitchesState = Static<typeof SwitchesState>;

/** POST /__admin/switches: the switches to change. */
export const SwitchesBody = Type.Object(
  { version_check: Type.Optional(VersionCheck), auth: Type.Optional(AuthMode) },
  { additionalProperties: false, minProperties: 1 },
);
export type SwitchesBody = Static<typeof SwitchesBody>;
