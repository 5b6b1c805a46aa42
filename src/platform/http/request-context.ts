import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, ParticipantActor, RequestContext, StaffActor } from '../../policy/actor.ts';
import type { SignInSession } from '../../identity/sign-in-session.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    signInSession: SignInSession | undefined;
    actor: Actor | undefined;
  }
}

export class SignInRequiredError extends Error {
  readonly audience: 'staff' | 'participant';
  constructor(audience: 'staff' | 'participant') {
    super('sign-in required');
    this.audience = audience;
    this.name = 'SignInRequiredError';
  }
}

/** The client's address; none (null) once it has disconnected, when Node no longer has one. */
export function clientIp(request: FastifyRequest): string | null {
  const ip: unknown = request.ip;
  return typeof ip === 'string' ? ip : null;
}

export function staffContext(request: FastifyRequest): RequestContext & { actor: StaffActor } {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new SignInRequiredError('staff');
  return { actor, ip: clientIp(request) };
}

export function participantContext(request: FastifyRequest): RequestContext & { actor: ParticipantActor } {
  const actor = request.actor;
  if (actor?.kind !== 'participant') throw new SignInRequiredError('participant');
  return { actor, ip: clientIp(request) };
}

/** Only same-site paths, so "return to" links cannot send people elsewhere. */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-/.?=&%]*$/.test(value) && value.length < 300
    ? value
    : undefined;
}

export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).redirect(location);
}
