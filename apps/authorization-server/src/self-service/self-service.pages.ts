import { registerCatalogue, translator, type Translate } from '@platform/i18n';
import {
  type Branding,
  type PageI18n,
  registerTemplate,
  renderPage,
  type RenderedPage,
} from '../interactions/pages/layout';
// Registers the '@password-policy' partial the form includes.
import './password-policy';
import type { PolicyList } from './password-policy';
import { de, en, fr, SELF_SERVICE_NAMESPACE } from './self-service.catalogue';

registerCatalogue(SELF_SERVICE_NAMESPACE, { en, de, fr });

/** One problem with the form; `field` is the id of the input it is about (the summary links to it). */
export interface FieldError {
  field?: string;
  message: string;
}

export interface FormField {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text' | 'checkbox';
  autocomplete?: string;
  value?: string;
  required?: boolean;
  /** A new password: shows the policy under the input and sets minlength/maxlength (the browser checks as the user types). */
  policy?: PolicyList;
  hint?: string;
  /** For a checkbox: a link beside its label (the terms). */
  link?: { href: string; text: string };
  inputmode?: string;
}

export interface PageLink {
  href: string;
  text: string;
}

/** The frame every self-service page shares: branding, language, and where "back to sign-in" goes. */
export interface SelfServicePage {
  branding: Branding;
  i18n: PageI18n;
  status?: number;
}

// The error summary (GOV.UK pattern): first in the page, each problem a link to its field.
registerTemplate(
  '@self-service/errors',
  `<% if (it.errors.length) { %><div class="alert" id="form-error" role="alert">
<h2><%= it.s('errors.title') %></h2>
<ul><% it.errors.forEach(function (e) { %><li><% if (e.field) { %><a href="#<%= e.field %>"><%= e.message %></a><% } else { %><%= e.message %><% } %></li><% }) %></ul>
</div><% } %>`,
);

registerTemplate(
  '@self-service/form',
  `<h1><%= it.title %></h1>
<% if (it.intro) { %><p class="muted"><%= it.intro %></p><% } %>
<%~ include('@self-service/errors', { errors: it.errors, s: it.s }) %>
<form method="post" action="<%= it.action %>">
<%~ include('@csrf', { token: it.csrf }) %>
<% Object.entries(it.hidden).forEach(function (h) { %><input type="hidden" name="<%= h[0] %>" value="<%= h[1] %>">
<% }) %>
<% it.fields.forEach(function (f) {
  var fieldErrors = it.errors.filter(function (e) { return e.field === f.name; });
  var error = fieldErrors[0];
  var described = [error ? f.name + '-error' : '', f.policy ? f.name + '-policy' : '', f.hint ? f.name + '-hint' : ''].filter(Boolean).join(' ');
%>
<% if (f.type === 'checkbox') { %><p class="checkbox"><input id="<%= f.name %>" name="<%= f.name %>" type="checkbox" value="yes"<% if (f.required) { %> required<% } %><% if (error) { %> aria-invalid="true"<% } %><% if (described) { %> aria-describedby="<%= described %>"<% } %>> <label for="<%= f.name %>"><%= f.label %></label><% if (f.link) { %> (<a href="<%= f.link.href %>" rel="noopener" target="_blank"><%= f.link.text %></a>)<% } %></p>
<% } else { %><label for="<%= f.name %>"><%= f.label %></label>
<% if (f.hint) { %><p class="muted" id="<%= f.name %>-hint"><%= f.hint %></p><% } %>
<% if (error) { %><p class="field-error" id="<%= f.name %>-error"><% fieldErrors.forEach(function (e, i) { %><% if (i) { %><br><% } %><%= e.message %><% }) %></p><% } %>
<input id="<%= f.name %>" name="<%= f.name %>" type="<%= f.type %>"<% if (f.autocomplete) { %> autocomplete="<%= f.autocomplete %>"<% } %><% if (f.inputmode) { %> inputmode="<%= f.inputmode %>"<% } %><% if (f.type === 'email') { %> autocapitalize="none" spellcheck="false"<% } %><% if (f.value) { %> value="<%= f.value %>"<% } %><% if (f.required) { %> required<% } %><% if (f.policy) { %> minlength="<%= f.policy.minLength %>" maxlength="<%= f.policy.maxLength %>"<% } %><% if (error) { %> aria-invalid="true"<% } %><% if (described) { %> aria-describedby="<%= described %>"<% } %>>
<% if (f.policy) { %><%~ include('@password-policy', f.policy) %><% } %>
<% } %>
<% }) %>
<button type="submit"><%= it.submit %></button>
</form>
<% if (it.links.length) { %><div class="row"><% it.links.forEach(function (l) { %><a href="<%= l.href %>"><%= l.text %></a><% }) %></div><% } %>`,
);

registerTemplate(
  '@self-service/message',
  `<h1><%= it.title %></h1>
<%~ include('@self-service/errors', { errors: it.errors, s: it.s }) %>
<% if (it.message) { %><p<% if (it.success) { %> class="info" role="status"<% } %>><%= it.message %></p><% } %>
<% if (it.links.length) { %><div class="row"><% it.links.forEach(function (l, i) { %><a <% if (i === 0) { %>class="button" <% } %>href="<%= l.href %>"><%= l.text %></a><% }) %></div><% } %>`,
);

/** The self-service strings of a page's language. */
export const selfServiceText = (i18n: PageI18n): Translate => translator(i18n.locale, SELF_SERVICE_NAMESPACE);

export function formPage(
  page: SelfServicePage,
  form: {
    title: string;
    intro?: string;
    action: string;
    csrf: string;
    hidden?: Record<string, string>;
    fields: FormField[];
    submit: string;
    errors?: FieldError[];
    links?: PageLink[];
  },
): RenderedPage {
  const errors = form.errors ?? [];
  const data = { ...form, hidden: form.hidden ?? {}, errors, links: form.links ?? [], s: selfServiceText(page.i18n) };
  return renderPage('@self-service/form', data, {
    title: errors.length ? `${data.s('errors.title')}: ${form.title}` : form.title,
    branding: page.branding,
    i18n: page.i18n,
    status: page.status ?? (errors.length ? 400 : 200),
  });
}

export function messagePage(
  page: SelfServicePage,
  content: { title: string; message?: string; success?: boolean; errors?: FieldError[]; links?: PageLink[] },
): RenderedPage {
  const data = { ...content, errors: content.errors ?? [], links: content.links ?? [], s: selfServiceText(page.i18n) };
  return renderPage('@self-service/message', data, {
    title: content.title,
    branding: page.branding,
    i18n: page.i18n,
    status: page.status ?? 200,
  });
}
