import './tracing'; // first: instruments the modules imported below (when tracing is on)
import 'reflect-metadata';
import { runServiceCli } from '@platform/runtime';
import { identityBackend } from './identity-backend';

void runServiceCli(identityBackend);
