import { Module } from '@nestjs/common';
import { SurveyCaseController, SurveyCaseRecorder } from './cases/survey-case';

@Module({ controllers: [SurveyCaseController, SurveyCaseRecorder] })
export class SurveyModule {}
