import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  Comment,
  HistoryEvent,
  MarkdownPreview,
  PersonRef,
  Ticket,
  TicketAssignees,
  TicketLink,
  TicketPage,
  TicketTimeline,
  TimeEntry,
} from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import {
  AssigneesQueryDto,
  CreateCommentDto,
  CreateLinkDto,
  CreateTicketDto,
  CreateTimeEntryDto,
  MarkdownPreviewDto,
  TicketQueryDto,
  TransitionDto,
  UpdateCommentDto,
  UpdateTicketDto,
} from './dto/tickets.dto';
import { TicketOpening } from './ticket-opening';
import { TicketQueries } from './ticket-queries';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@Controller('api/tickets')
export class TicketsController {
  constructor(
    private readonly queries: TicketQueries,
    private readonly opening: TicketOpening,
    private readonly service: TicketsService,
  ) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext, @Query() q: TicketQueryDto): Promise<TicketPage> {
    return this.queries.list(ctx, q);
  }

  @Post()
  @Authenticated()
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateTicketDto): Promise<Ticket> {
    return this.opening.create(ctx, body, ctx.principal.authMethod === 'apiToken' ? 'api' : 'web');
  }

  /** A description or a reply as the ticket page will show it, before it is sent. */
  @Post('preview')
  @Authenticated()
  @HttpCode(200)
  preview(@Body() body: MarkdownPreviewDto): MarkdownPreview {
    return this.queries.preview(body.text);
  }

  @Get(':key')
  @Authenticated()
  get(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<Ticket> {
    return this.queries.get(ctx, key);
  }

  /** The caller opened the ticket's page ("new since your last visit" starts again from now). */
  @Post(':key/read')
  @Authenticated()
  @HttpCode(204)
  markRead(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<void> {
    return this.queries.markRead(ctx, key);
  }

  @Get(':key/timeline')
  @Authenticated()
  timeline(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<TicketTimeline> {
    return this.queries.timeline(ctx, key);
  }

  /** People and support groups the ticket may be assigned to, searched by name (or address), for its picker. */
  @Get(':key/assignees')
  @Authenticated()
  assignees(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Query() q: AssigneesQueryDto): Promise<TicketAssignees> {
    return this.queries.assignees(ctx, key, q.q ?? '');
  }

  /** People who may be added as watchers (anyone with access to the project), searched by name or address. */
  @Get(':key/watcher-candidates')
  @Authenticated()
  watcherCandidates(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Query() q: AssigneesQueryDto): Promise<PersonRef[]> {
    return this.queries.watcherCandidates(ctx, key, q.q ?? '');
  }

  @Patch(':key')
  @Authenticated()
  update(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: UpdateTicketDto): Promise<Ticket> {
    return this.service.update(ctx, key, body);
  }

  @Post(':key/transitions')
  @Authenticated()
  @HttpCode(200)
  transition(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: TransitionDto): Promise<Ticket> {
    return this.service.transition(ctx, key, body);
  }

  @Get(':key/comments')
  @Authenticated()
  comments(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<Comment[]> {
    return this.queries.comments(ctx, key);
  }

  @Post(':key/comments')
  @Authenticated()
  comment(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: CreateCommentDto): Promise<Comment> {
    return this.service.comment(ctx, key, body);
  }

  @Patch(':key/comments/:id')
  @Authenticated()
  editComment(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('comment')) id: string,
    @Body() body: UpdateCommentDto,
  ): Promise<Comment> {
    return this.service.editComment(ctx, key, id, body.body);
  }

  @Get(':key/comments/:id/versions')
  @Authenticated()
  commentVersions(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('comment')) id: string,
  ): Promise<{ version: number; body: string; writtenAt: string }[]> {
    return this.queries.commentVersions(ctx, key, id);
  }

  @Get(':key/history')
  @Authenticated()
  history(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<HistoryEvent[]> {
    return this.queries.history(ctx, key);
  }

  @Put(':key/watchers/:accountId')
  @Authenticated()
  addWatcher(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('accountId', new UuidParam('account')) accountId: string): Promise<Ticket> {
    return this.service.addWatcher(ctx, key, accountId);
  }

  @Delete(':key/watchers/:accountId')
  @Authenticated()
  @HttpCode(204)
  removeWatcher(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('accountId', new UuidParam('account')) accountId: string): Promise<void> {
    return this.service.removeWatcher(ctx, key, accountId);
  }

  @Get(':key/links')
  @Authenticated()
  links(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<TicketLink[]> {
    return this.queries.links(ctx, key);
  }

  @Post(':key/links')
  @Authenticated()
  addLink(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: CreateLinkDto): Promise<TicketLink[]> {
    return this.service.addLink(ctx, key, body);
  }

  @Delete(':key/links/:id')
  @Authenticated()
  @HttpCode(204)
  removeLink(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('id', new UuidParam('link')) id: string): Promise<void> {
    return this.service.removeLink(ctx, key, id);
  }

  @Get(':key/time-entries')
  @Authenticated({ rights: ['ticket.timeSpent'] })
  timeEntries(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<TimeEntry[]> {
    return this.queries.timeEntries(ctx, key);
  }

  @Post(':key/time-entries')
  @Authenticated({ rights: ['ticket.timeSpent'] })
  logTime(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: CreateTimeEntryDto): Promise<TimeEntry[]> {
    return this.service.logTime(ctx, key, body);
  }
}
