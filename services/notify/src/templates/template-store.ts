import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_TEMPLATES, Language, LANGUAGES, TemplateId, TemplateSource } from '../domain';
import { StoredTemplate, TemplateRepository } from './template.repository';

/** The template in use per language: the newest saved version, else the built-in default. */
@Injectable()
export class TemplateStore {
  constructor(private readonly repo: TemplateRepository) {}

  async inUse(m: EntityManager | DataSource, id: TemplateId): Promise<Record<Language, StoredTemplate>> {
    const saved = await this.repo.current(m, id);
    const out = {} as Record<Language, StoredTemplate>;
    for (const language of LANGUAGES) {
      out[language] = saved.find((t) => t.language === language) ?? builtIn(id, language);
    }
    return out;
  }
}

export function builtIn(id: TemplateId, language: Language): StoredTemplate {
  const t: TemplateSource = DEFAULT_TEMPLATES[id][language];
  return { id, language, version: 0, ...t, createdAt: null, createdBy: null };
}
