import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import {
  BadRequestError,
  bodyRecord,
  errorSummary,
  formStatus,
  formValues,
  notices,
  parseQuery,
  postedStrings,
  queryText,
  registerFormPage,
  type SaveOutcome,
  type ShownForm,
} from './form-page.ts';

describe('bodyRecord', () => {
  it('reads a posted object as it is', () => {
    expect(bodyRecord({ body: { note: 'hi' } })).toEqual({ note: 'hi' });
  });

  it('reads an absent, text or list body as empty, so a hostile body is never a crash', () => {
    expect(bodyRecord({ body: undefined })).toEqual({});
    expect(bodyRecord({ body: null })).toEqual({});
    expect(bodyRecord({ body: 'note=hi' })).toEqual({});
    expect(bodyRecord({ body: ['note'] })).toEqual({});
  });
});

describe('formValues', () => {
  it('keeps text, drops the CSRF token and anything that is not text', () => {
    expect(formValues({ _csrf: 't', note: 'hi', n: 3, nested: { a: 'b' } })).toEqual({ note: 'hi' });
  });

  it('caps each box, so a hostile megabyte is not echoed back', () => {
    expect(formValues({ note: 'x'.repeat(5000) }).note).toHaveLength(2000);
    expect(formValues({ note: 'x'.repeat(50) }, { maxLength: 10 }).note).toHaveLength(10);
  });

  it('keeps only the named fields when the form lists them', () => {
    expect(formValues({ a: '1', b: '2', _csrf: 't' }, { fields: ['a'] })).toEqual({ a: '1' });
  });

  it('shows one ticked checkbox as a list, several as a capped list of text', () => {
    expect(formValues({ sections: 'goals' }, { lists: ['sections'] })).toEqual({ sections: ['goals'] });
    const many = Array.from({ length: 20 }, (_, i) => String(i));
    expect(formValues({ sections: [...many, 7] }, { lists: ['sections'] }).sections).toEqual(
      many.slice(0, 10),
    );
  });

  it('drops a text box posted as a list (no box can show one)', () => {
    expect(formValues({ note: ['a', 'b'] })).toEqual({});
  });

  it('reads inherited names as not posted', () => {
    expect(formValues({}, { fields: ['constructor', '__proto__'] })).toEqual({});
  });
});

describe('postedStrings', () => {
  it('keeps every text and list of text unchanged, the CSRF token too', () => {
    expect(postedStrings({ _csrf: 't', a: 'x'.repeat(3000), b: ['1', 2], c: 3 })).toEqual({
      _csrf: 't',
      a: 'x'.repeat(3000),
      b: ['1'],
    });
  });
});

describe('errorSummary', () => {
  it('shows nothing when the form is first shown', () => {
    expect(errorSummary(undefined, ['a'])).toEqual({ errors: {}, errorList: undefined });
  });

  it('lists messages in page order, each linking to its box', () => {
    const summary = errorSummary({ b: 'Enter b', a: 'Enter a' }, ['a', 'b'], { b: 'b-day' });
    expect(summary.errorList).toEqual([
      { text: 'Enter a', href: '#a' },
      { text: 'Enter b', href: '#b-day' },
    ]);
    expect(formStatus(summary.errors)).toBe(400);
    expect(formStatus(undefined)).toBe(200);
  });
});

describe('parseQuery and queryText', () => {
  const schema = z.object({
    month: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .optional(),
  });

  it('parses a well-formed query string', () => {
    expect(parseQuery({ query: { month: '2026-11' } }, schema)).toEqual({ month: '2026-11' });
  });

  it('answers 400, never 500, for a malformed one', () => {
    const read = () => parseQuery({ query: { month: ['2026-11', '2026-12'] } }, schema);
    expect(read).toThrow(BadRequestError);
    expect(read).toThrow(expect.objectContaining({ statusCode: 400 }));
  });

  it('reads one value as text; repeated, nested, absent or inherited names as undefined', () => {
    expect(queryText({ query: { done: 'saved' } }, 'done')).toBe('saved');
    expect(queryText({ query: { done: ['a', 'b'] } }, 'done')).toBeUndefined();
    expect(queryText({ query: { done: { a: 'b' } } }, 'done')).toBeUndefined();
    expect(queryText({ query: undefined }, 'done')).toBeUndefined();
    expect(queryText({ query: {} }, 'constructor')).toBeUndefined();
  });
});

describe('notices', () => {
  const noticeFor = notices({ saved: 'Saved.' });

  it('shows the banner for one of the page’s own keys', () => {
    expect(noticeFor('saved')).toBe('Saved.');
  });

  it('shows nothing for hostile or unknown keys', () => {
    for (const key of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'other',
      undefined,
      ['saved'],
    ])
      expect(noticeFor(key)).toBeUndefined();
  });
});

describe('registerFormPage', () => {
  const build = (save: (value: { name: string }) => Promise<SaveOutcome>) => {
    const app = Fastify();
    const shown: ShownForm[] = [];
    registerFormPage(app, {
      path: '/things/:id',
      route: (request) => (request.params as { id: string }).id,
      initialValues: () => ({ name: 'start' }),
      submissionToken: true,
      values: { fields: ['submissionToken', 'name'] },
      render: (_request, reply, id, form) => {
        shown.push(form);
        return reply.code(form.status).send({ id, ...form });
      },
      parse: (request) => {
        const name = bodyRecord(request).name;
        return typeof name === 'string' && name
          ? { ok: true, value: { name } }
          : { ok: false, errors: { name: 'Enter a name' } };
      },
      save: (_id, value) => save(value),
    });
    return { app, shown };
  };

  it('shows a new form with its starting values and a fresh submission token', async () => {
    const { app, shown } = build(() => Promise.resolve('/done'));
    const response = await app.inject({ method: 'GET', url: '/things/1' });
    expect(response.statusCode).toBe(200);
    expect(shown[0]?.values?.name).toBe('start');
    expect(shown[0]?.values?.submissionToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redirects with 303 after a save', async () => {
    const saved: unknown[] = [];
    const { app } = build((value) => {
      saved.push(value);
      return Promise.resolve('/things/1?done=saved');
    });
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/things/1?done=saved');
    expect(saved).toEqual([{ name: 'Ann' }]);
  });

  it('shows the form again with the errors and what was typed, keeping the posted token', async () => {
    const { app, shown } = build(() => Promise.resolve('/done'));
    const response = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: { name: '', submissionToken: 'kept', other: 'dropped' },
    });
    expect(response.statusCode).toBe(400);
    expect(shown[0]).toEqual({
      values: { name: '', submissionToken: 'kept' },
      errors: { name: 'Enter a name' },
      status: 400,
    });
  });

  it('gives a form posted without a token a fresh one', async () => {
    const { app, shown } = build(() => Promise.resolve('/done'));
    await app.inject({ method: 'POST', url: '/things/1', payload: { name: '' } });
    expect(shown[0]?.values?.submissionToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the form again when the service refuses the value', async () => {
    const { app, shown } = build(() => Promise.reject(new ValidationError({ name: 'Name is taken' })));
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(400);
    expect(shown[0]?.errors).toEqual({ name: 'Name is taken' });
  });

  it('shows the form again with the status save gives, such as 429 for someone who must wait', async () => {
    const { app, shown } = build(() =>
      Promise.resolve({ errors: { name: 'Wait 5 minutes, then try again' }, status: 429 as const }),
    );
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(429);
    expect(shown[0]).toMatchObject({ errors: { name: 'Wait 5 minutes, then try again' }, status: 429 });
  });

  it('shows the form again with 400 when save gives messages and no status', async () => {
    const { app } = build(() => Promise.resolve({ errors: { name: 'Not this one' } }));
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(400);
  });

  it('answers as save says when the next step is another page, not a redirect', async () => {
    const { app, shown } = build(() => Promise.resolve({ answer: () => ({ next: 'enter the code' }) }));
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ next: 'enter the code' });
    expect(shown).toEqual([]);
  });

  it('lets any other failure through to the error handler', async () => {
    const { app } = build(() => Promise.reject(new Error('boom')));
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: 'Ann' } });
    expect(response.statusCode).toBe(500);
  });
});
