import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, isCustomerOnly, PageOf, Principal, Roles, sendStored, StoredResponse } from '@aftersales/platform';
import {
  ArticleFromCaseDto,
  ArticleVersionQuery,
  CreateArticleDto,
  SearchQuery,
  UpdateArticleDto,
  WithdrawArticleDto,
} from './knowledge.dto';
import { Article, KnowledgeService } from './knowledge.service';
import { ArticleView, SearchHitView } from '../api/responses';

/** What a customer sees of an article: the solution, not the case it came from nor who wrote or published it. */
function forReader<T extends Article>(a: T, by: Principal): T | Omit<T, 'sourceCaseId' | 'author' | 'publishedBy'> {
  if (!isCustomerOnly(by)) return a;
  const { sourceCaseId: _case, author: _author, publishedBy: _publisher, ...shown } = a;
  return shown;
}

const answer = (result: StoredResponse<Article>, res: Response) => sendStored(res, result);

@ApiTags('knowledge')
@ApiBearerAuth()
@Controller()
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Post('knowledge/articles')
  @Roles('engineer', 'admin')
  @ApiCreatedResponse({ type: ArticleView, description: 'a draft' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateArticleDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return answer(await this.knowledge.create(dto, by, key), res);
  }

  /** A draft written up from a resolved or closed case (409 while the case is still open). */
  @Post('cases/:id/knowledge-article')
  @Roles('engineer', 'admin')
  @ApiCreatedResponse({ type: ArticleView, description: 'a draft prefilled from the case' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async fromCase(
    @Param('id', new ParseUUIDPipe()) caseId: string,
    @Body() dto: ArticleFromCaseDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return answer(await this.knowledge.fromCase(caseId, dto, by, key), res);
  }

  /** Edits the draft; on a published or withdrawn article this starts the next version as a draft. */
  @Patch('knowledge/articles/:id')
  @Roles('engineer', 'admin')
  @ApiOkResponse({ type: ArticleView })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateArticleDto, @CurrentPrincipal() by: Principal) {
    return this.knowledge.update(id, dto, by);
  }

  @Post('knowledge/articles/:id/publish')
  @HttpCode(200)
  @Roles('engineer', 'admin')
  @ApiOkResponse({ type: ArticleView })
  publish(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.knowledge.publish(id, by);
  }

  @Post('knowledge/articles/:id/withdraw')
  @HttpCode(200)
  @Roles('engineer', 'admin')
  @ApiOkResponse({ type: ArticleView })
  withdraw(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: WithdrawArticleDto, @CurrentPrincipal() by: Principal) {
    return this.knowledge.withdraw(id, dto, by);
  }

  @Get('knowledge/search')
  @ApiOkResponse({ type: PageOf(SearchHitView), description: 'customers: published articles only' })
  async search(@Query() q: SearchQuery, @CurrentPrincipal() by: Principal) {
    const page = await this.knowledge.search(q, by);
    return { ...page, items: page.items.map((a) => forReader(a, by)) };
  }

  @Get('knowledge/articles/:id')
  @ApiOkResponse({ type: ArticleView, description: 'staff: the latest version and the version list; customers: the published one' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: ArticleVersionQuery, @CurrentPrincipal() by: Principal) {
    return forReader(await this.knowledge.get(id, by, q.version), by);
  }
}
